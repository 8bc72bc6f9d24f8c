/**
 * PCEN's recursion on WebAssembly: tools/wasm/kernels/pcen.c, built by tools/wasm/build.sh into pcenWasm.ts.
 *
 * Reason: Math.exp(gain·Math.log(·)) per value made pcen.ts's loop a large part of counting. `npm run bench -- --only
 * features` keeps pcenKernelMs beside pcenJsMs, the recursion over the same mel rows from the same state (2026-12-05,
 * `--quick`, 18 M values: 225 ms against 537 ms). The kernel runs the same float64 operations with its own ln and exp
 * (tables below), within about an ulp of Math's, so the float32 output is almost always the same value (pcen.test.ts
 * bounds the difference), two bands at a time in f64x2 lanes.
 *
 * Memory (byte offsets from the heap base): pow2, lnCentre, invCentre (128 f64 each), smooth (cols f64), then a
 * block of src and of dst rows (f32).
 */
import { heapBase, lazyModule, reserveMemory } from '../util/wasmModule.ts';
import { PCEN_WASM } from './pcenWasm.ts';

const module = lazyModule(PCEN_WASM);

/** Values of src (and of dst) per kernel call. */
const BLOCK_VALUES = 1 << 16;
const CELLS = 128;

export interface PcenParams {
  b: number;
  gain: number;
  bias: number;
  power: number;
  biasPow: number;
  eps: number;
  scale: number;
}

class PcenKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly run: (...args: number[]) => void;
  private readonly tables: number;
  private readonly smoothAt: number;
  private readonly srcAt: number;
  private readonly dstAt: number;
  private readonly maxCols: number;

  constructor(instance: WebAssembly.Instance, maxCols: number) {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.run = instance.exports.pcen_rows as (...args: number[]) => void;
    this.maxCols = maxCols;
    this.tables = heapBase(instance);
    this.smoothAt = this.tables + 3 * 8 * CELLS;
    this.srcAt = this.smoothAt + 8 * Math.ceil(maxCols / 2) * 2;
    const blockValues = Math.max(BLOCK_VALUES, maxCols);
    this.dstAt = this.srcAt + 4 * blockValues;
    reserveMemory(this.memory, this.dstAt + 4 * blockValues);
    const t = new Float64Array(this.memory.buffer, this.tables, 3 * CELLS);
    for (let j = 0; j < CELLS; j++) {
      const centre = 1 + (j + 0.5) / CELLS;
      t[j] = Math.pow(2, j / CELLS);
      t[CELLS + j] = Math.log(centre);
      t[2 * CELLS + j] = 1 / centre;
    }
  }

  fits(cols: number): boolean {
    return cols <= this.maxCols;
  }

  rows(src: Float32Array, dst: Float32Array, rows: number, cols: number, smooth: Float64Array, p: PcenParams): void {
    const buf = this.memory.buffer;
    const state = new Float64Array(buf, this.smoothAt, cols);
    state.set(smooth);
    const perCall = Math.max(1, Math.floor(Math.max(BLOCK_VALUES, this.maxCols) / cols));
    const pow2 = this.tables;
    for (let r = 0; r < rows; r += perCall) {
      const n = Math.min(perCall, rows - r);
      new Float32Array(buf, this.srcAt, n * cols).set(src.subarray(r * cols, (r + n) * cols));
      this.run(this.srcAt, this.dstAt, n, cols, this.smoothAt, p.b, p.gain, p.bias, p.power, p.biasPow, p.eps, p.scale, p.power === 0.5 ? 1 : 0, pow2, pow2 + 8 * CELLS, pow2 + 16 * CELLS);
      dst.set(new Float32Array(buf, this.dstAt, n * cols), r * cols);
    }
    smooth.set(state);
  }
}

let kernel: PcenKernel | null | undefined;

/** The kernel for rows of `cols` bands, or null where the runtime has no wasm (pcen.ts then runs its JavaScript loop). */
export function pcenKernel(cols: number): PcenKernel | null {
  if (kernel === undefined || (kernel && !kernel.fits(cols))) {
    const mod = module();
    kernel = mod ? new PcenKernel(new WebAssembly.Instance(mod), Math.max(cols, 256)) : null;
  }
  return kernel;
}
