/**
 * The resampler's inner loop as a WebAssembly SIMD function (f32x4), assembled here from named opcodes.
 *
 * Measured reason: decoding an mp3 already costs 0.62× of ffmpeg's whole decode + resample, so to stay within
 * 2× of ffmpeg the resampler must run at ≥ 2000× real time; the best scalar JavaScript loop reached 759×.
 * There is no library for a polyphase dot product, and no wat toolchain among the dependencies, so the one
 * function is written out below. When the runtime lacks wasm SIMD, resample.ts uses its JavaScript loop.
 *
 * run(xPtr, outPtr, count, coefPtr, taps, offsPtr, up, down, q, phase), all i32, byte pointers into memory:
 *   for i in [0, count):
 *     out[i] = Σ_j coef[phase·taps + j] · x[q + offs[phase] + j]      (taps a multiple of 4, f32x4 lanes)
 *     phase += down; q += phase / up; phase %= up
 */
import { I32, V128, lazyModule, name, section, simdOp, uleb } from '../util/wasmModule.ts';
import type { PolyphaseFilter } from './resampleFilter.ts';

const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  get: 0x20, set: 0x21,
  i32Const: 0x41, i32Load: 0x28, f32Store: 0x38,
  i32GeU: 0x4f, i32LtU: 0x49, i32Add: 0x6a, i32Mul: 0x6c, i32DivU: 0x6e, i32RemU: 0x70, i32Shl: 0x74, f32Add: 0x92,
} as const;
const simd = { v128Load: 0x00, v128Const: 0x0c, f32x4ExtractLane: 0x1f, f32x4Add: 0xe4, f32x4Mul: 0xe6 } as const;

// locals: 0..9 are the parameters, then i, row, rowEnd, b (i32) and acc (v128)
const [xPtr, outPtr, count, coefPtr, taps, offsPtr, up, down, q, phase] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [i, row, rowEnd, b, acc] = [10, 11, 12, 13, 14];
const get = (l: number) => [op.get, l];
const set = (l: number) => [op.set, l];
const times4 = [op.i32Const, 2, op.i32Shl];

const body: number[] = [
  ...[2, 4, I32, 1, V128], // local declarations: 4 × i32, 1 × v128
  op.block, 0x40,
  op.loop, 0x40,
  ...get(i), ...get(count), op.i32GeU, op.brIf, 1,
  // row = coefPtr + phase·taps·4; rowEnd = row + taps·4
  ...get(coefPtr), ...get(phase), ...get(taps), op.i32Mul, ...times4, op.i32Add, ...set(row),
  ...get(row), ...get(taps), ...times4, op.i32Add, ...set(rowEnd),
  // b = xPtr + (q + offs[phase])·4
  ...get(xPtr), ...get(q), ...get(offsPtr), ...get(phase), ...times4, op.i32Add, op.i32Load, 2, 0, op.i32Add, ...times4, op.i32Add, ...set(b),
  ...simdOp(simd.v128Const), ...new Array(16).fill(0), ...set(acc),
  op.loop, 0x40,
  ...get(acc), ...get(row), ...simdOp(simd.v128Load), 2, 0, ...get(b), ...simdOp(simd.v128Load), 2, 0,
  ...simdOp(simd.f32x4Mul), ...simdOp(simd.f32x4Add), ...set(acc),
  ...get(row), op.i32Const, 16, op.i32Add, ...set(row),
  ...get(b), op.i32Const, 16, op.i32Add, ...set(b),
  ...get(row), ...get(rowEnd), op.i32LtU, op.brIf, 0,
  op.end,
  // out[i] = acc lanes summed
  ...get(outPtr), ...get(i), ...times4, op.i32Add,
  ...get(acc), ...simdOp(simd.f32x4ExtractLane), 0,
  ...get(acc), ...simdOp(simd.f32x4ExtractLane), 1, op.f32Add,
  ...get(acc), ...simdOp(simd.f32x4ExtractLane), 2, op.f32Add,
  ...get(acc), ...simdOp(simd.f32x4ExtractLane), 3, op.f32Add,
  op.f32Store, 2, 0,
  // phase += down; q += phase / up; phase %= up; i++
  ...get(phase), ...get(down), op.i32Add, ...set(phase),
  ...get(q), ...get(phase), ...get(up), op.i32DivU, op.i32Add, ...set(q),
  ...get(phase), ...get(up), op.i32RemU, ...set(phase),
  ...get(i), op.i32Const, 1, op.i32Add, ...set(i),
  op.br, 0,
  op.end,
  op.end,
  op.end,
];

/** The compiled module, or null when this runtime has no wasm SIMD. */
const module = lazyModule([
  ...section(1, [1, 0x60, 10, ...new Array(10).fill(I32), 0]), // type: (i32 × 10) → ()
  ...section(3, [1, 0]), // one function of type 0
  ...section(5, [1, 0x00, 1]), // one memory, 1 page to start
  ...section(7, [2, ...name('memory'), 0x02, 0, ...name('run'), 0x00, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

export function simdAvailable(): boolean {
  return module() !== null;
}

/** One resampler's SIMD kernel: its own instance and memory holding the padded phase table. */
export class SimdKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly run: (...args: number[]) => void;
  private readonly taps: number;
  private readonly tableBytes: number;

  constructor(private readonly filter: PolyphaseFilter) {
    const mod = module();
    if (!mod) throw new Error('capuchin resample: this runtime has no WebAssembly SIMD');
    const instance = new WebAssembly.Instance(mod);
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.run = instance.exports.run as (...args: number[]) => void;
    this.taps = Math.ceil(filter.tapsPerPhase / 4) * 4;
    this.tableBytes = 4 * filter.up * this.taps + 4 * filter.up;
    this.reserve(this.tableBytes);
    const table = new Float32Array(this.memory.buffer, 0, filter.up * this.taps);
    for (let p = 0; p < filter.up; p++) {
      table.set(filter.coefficients.subarray(p * filter.tapsPerPhase, (p + 1) * filter.tapsPerPhase), p * this.taps);
    }
    new Int32Array(this.memory.buffer, 4 * filter.up * this.taps, filter.up).set(filter.firstTapOffset);
  }

  /**
   * Compute `out.length` outputs from `x` (the resampler's buffer), starting at output decomposition (q, phase)
   * with q relative to x[0]. The caller guarantees every real tap lies inside x.
   */
  convolve(x: Float32Array, out: Float32Array, q: number, phase: number): void {
    const xBytes = 4 * (x.length + this.taps); // room for the zero padding the last padded taps read
    const xPtr = this.tableBytes;
    const outPtr = xPtr + xBytes;
    this.reserve(outPtr + 4 * out.length);
    const heap = new Float32Array(this.memory.buffer);
    heap.set(x, xPtr / 4);
    heap.fill(0, xPtr / 4 + x.length, outPtr / 4);
    this.run(xPtr, outPtr, out.length, 0, this.taps, 4 * this.filter.up * this.taps, this.filter.up, this.filter.down, q, phase);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + out.length));
  }

  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }
}
