/**
 * Per-channel energy normalisation (PCEN; Wang et al. 2017, Lostanlen et al. 2019), with the
 * semantics of librosa.pcen:
 *
 *   M[t, f] = (1 − b)·M[t − 1, f] + b·S[t, f]
 *   P[t, f] = (S / (eps + M)^gain + bias)^power − bias^power
 *   b = (√(1 + 4T²) − 1) / (2T²),  T = timeConstantSec · sampleRate / hopLength  (in frames)
 *
 * S is the mel band magnitude: √(mel power) scaled by 2³¹, the integer audio range the published
 * defaults (gain 0.98, bias 2, power 0.5) were set for (librosa's documentation asks for it).
 * Each clip (window) is normalised on its own, so training clips and counting windows are
 * computed identically. The smoother starts at the window's mean per band (librosa's `zi` set to
 * (1 − b)·mean), so a call at the window's start is not measured against silence.
 *
 * PCEN divides out slowly varying loudness per band (rain, insect choruses, distance) and keeps
 * what rises above it, where log-mel referenced to the window maximum stretches a quiet background
 * to the same range as a call.
 */
import { matrixIn, type Matrix } from './matrix.ts';
import { pcenKernel } from './pcenKernel.ts';

export interface PcenOptions {
  /** IIR smoother time constant, seconds. */
  timeConstantSec: number;
  /** Automatic gain control exponent (alpha). */
  gain: number;
  /** Offset before compression (delta). */
  bias: number;
  /** Root compression exponent (r). */
  power: number;
  eps: number;
  /** Frames per second of the input (sampleRate / hopLength). */
  framesPerSec: number;
}

/** The input scale: audio in [−1, 1] brought to the 32-bit integer range the defaults assume. */
export const PCEN_INPUT_SCALE = 2 ** 31;

/** The smoothing coefficient b for a time constant in frames (librosa's formula). */
export function pcenSmoothing(timeConstantSec: number, framesPerSec: number): number {
  const t = timeConstantSec * framesPerSec;
  return (Math.sqrt(1 + 4 * t * t) - 1) / (2 * t * t);
}

/** PCEN of a [frames, bands] matrix of mel POWER (the extractor's frames()), as a new matrix (or in `into`). */
export function pcen(melPower: Matrix, opts: PcenOptions, into?: Float32Array): Matrix {
  const { rows, cols } = melPower;
  const out = matrixIn(into, rows, cols);
  if (rows === 0) return out;
  pcenRows(melPower.data, out.data, rows, cols, startingSmoother(melPower), opts);
  return out;
}

/**
 * PCEN over a stream of mel-power frames (a whole recording in chunks): the smoother carries over from
 * one push to the next, starting at the first push's mean per band. Used to screen windows
 * (lib/detect/screen.ts); the per-window `pcen` above stays what the model was trained on.
 */
export class PcenStream {
  private smooth: Float64Array | null = null;
  /** The rows push returns (grown, never shrunk): no fresh array per chunk. */
  private out = new Float32Array(0);

  constructor(private readonly opts: PcenOptions) {}

  /** PCEN of the next frames, valid until the next push. */
  push(melPower: Matrix): Matrix {
    const { rows, cols } = melPower;
    if (this.out.length < rows * cols) this.out = new Float32Array(rows * cols);
    const out = matrixIn(this.out, rows, cols);
    if (rows === 0) return out;
    this.smooth ??= startingSmoother(melPower);
    pcenRows(melPower.data, out.data, rows, cols, this.smooth, this.opts);
    return out;
  }
}

/** The smoother's start: the frames' mean of S = √P·2³¹ per band (librosa's `zi` = (1 − b)·mean). */
function startingSmoother({ data, rows, cols }: Matrix): Float64Array {
  const smooth = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) smooth[c] += Math.sqrt(data[r * cols + c]);
  for (let c = 0; c < cols; c++) smooth[c] = (smooth[c] / rows) * PCEN_INPUT_SCALE;
  return smooth;
}

/**
 * The recursion over `rows` frames, from the smoother state `smooth` (updated in place): on the wasm kernel
 * (pcenKernel.ts) where the runtime has WebAssembly, else pcenRowsJs.
 */
function pcenRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, smooth: Float64Array, opts: PcenOptions): void {
  const kernel = pcenKernel(cols);
  if (!kernel) return pcenRowsJs(src, dst, rows, cols, smooth, opts);
  const b = pcenSmoothing(opts.timeConstantSec, opts.framesPerSec);
  const { gain, bias, power, eps } = opts;
  kernel.rows(src, dst, rows, cols, smooth, { b, gain, bias, power, biasPow: Math.pow(bias, power), eps, scale: PCEN_INPUT_SCALE });
}

/** pcenRows in JavaScript, with Math.log and Math.exp (the kernel's reference; runtimes without WebAssembly). */
export function pcenRowsJs(src: Float32Array, dst: Float32Array, rows: number, cols: number, smooth: Float64Array, opts: PcenOptions): void {
  const b = pcenSmoothing(opts.timeConstantSec, opts.framesPerSec);
  const { gain, bias, power, eps } = opts;
  const biasPow = Math.pow(bias, power);
  const sqrtPower = power === 0.5; // the published default: Math.sqrt in place of the slower Math.pow
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let c = 0; c < cols; c++) {
      const s = Math.sqrt(src[at + c]) * PCEN_INPUT_SCALE;
      const m = (1 - b) * smooth[c] + b * s;
      smooth[c] = m;
      const v = s / Math.exp(gain * Math.log(eps + m)) + bias;
      dst[at + c] = (sqrtPower ? Math.sqrt(v) : Math.pow(v, power)) - biasPow;
    }
  }
}
