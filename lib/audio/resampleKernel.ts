/**
 * The resampler's inner loop on WebAssembly SIMD (f32x4): tools/wasm/kernels/resample.c, built by
 * tools/wasm/build.sh into resampleWasm.ts.
 *
 * Reason: the resampler must run at ≥ 2000× real time for decode + resample to stay near ffmpeg's speed, and
 * there is no library for a polyphase dot product (`npm run bench -- --only decode` measures the whole path;
 * resample.ts's JavaScript loop is what runs when the runtime lacks wasm SIMD).
 *
 * run(xPtr, outPtr, count, coefPtr, taps, offsPtr, up, down, q, phase), byte pointers into the instance's memory:
 *   for i in [0, count):
 *     out[i] = Σ_j coef[phase·taps + j] · x[q + offs[phase] + j]      (taps a multiple of 4, f32x4 lanes)
 *     phase += down; q += phase / up; phase %= up
 */
import { heapBase, lazyModule, reserveMemory } from '../util/wasmModule.ts';
import type { PolyphaseFilter } from './resampleFilter.ts';
import { RESAMPLE_WASM } from './resampleWasm.ts';

/** The compiled module, or null when this runtime has no wasm SIMD. */
const module = lazyModule(RESAMPLE_WASM);

export function simdAvailable(): boolean {
  return module() !== null;
}

/** One resampler's SIMD kernel: its own instance and memory holding the padded phase table. */
export class SimdKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly run: (...args: number[]) => void;
  private readonly taps: number;
  /** Where the phase table starts (the instance's heap base) and the first byte after it and the offsets. */
  private readonly tablePtr: number;
  private readonly tableEnd: number;

  constructor(private readonly filter: PolyphaseFilter) {
    const mod = module();
    if (!mod) throw new Error('capuchin resample: this runtime has no WebAssembly SIMD');
    const instance = new WebAssembly.Instance(mod);
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.run = instance.exports.run as (...args: number[]) => void;
    this.taps = Math.ceil(filter.tapsPerPhase / 4) * 4;
    this.tablePtr = heapBase(instance);
    this.tableEnd = this.tablePtr + 4 * filter.up * this.taps + 4 * filter.up;
    reserveMemory(this.memory, this.tableEnd);
    const table = new Float32Array(this.memory.buffer, this.tablePtr, filter.up * this.taps);
    for (let p = 0; p < filter.up; p++) {
      table.set(filter.coefficients.subarray(p * filter.tapsPerPhase, (p + 1) * filter.tapsPerPhase), p * this.taps);
    }
    new Int32Array(this.memory.buffer, this.tablePtr + 4 * filter.up * this.taps, filter.up).set(filter.firstTapOffset);
  }

  /**
   * Compute `out.length` outputs from `x` (the resampler's buffer), starting at output decomposition (q, phase)
   * with q relative to x[0]. The caller guarantees every real tap lies inside x.
   */
  convolve(x: Float32Array, out: Float32Array, q: number, phase: number): void {
    const xBytes = 4 * (x.length + this.taps); // room for the zero padding the last padded taps read
    const xPtr = this.tableEnd;
    const outPtr = xPtr + xBytes;
    reserveMemory(this.memory, outPtr + 4 * out.length);
    const heap = new Float32Array(this.memory.buffer);
    heap.set(x, xPtr / 4);
    heap.fill(0, xPtr / 4 + x.length, outPtr / 4);
    const offsPtr = this.tablePtr + 4 * this.filter.up * this.taps;
    this.run(xPtr, outPtr, out.length, this.tablePtr, this.taps, offsPtr, this.filter.up, this.filter.down, q, phase);
    out.set(heap.subarray(outPtr / 4, outPtr / 4 + out.length));
  }
}
