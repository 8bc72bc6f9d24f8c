/**
 * Two real frames' spectra at once on WebAssembly SIMD (f64x2: lane 0 is frame a, lane 1 frame b):
 * tools/wasm/kernels/fft_pair.c, built by tools/wasm/build.sh into fftPairWasm.ts; this file lays out its memory.
 *
 * Reason: with the JavaScript FFT (fft.js) the STFT and log-mel rows of `npm run bench -- --only features` stayed
 * below numpy/scipy; their extra fields jsFallbackSeconds and oursSecondsSameFiles keep the JavaScript path's time
 * beside this kernel's on the same files (1.4–1.8× slower, 2026-12-05). @echogarden/pffft-wasm's SIMD FFT is faster
 * but float32 and asynchronous to load; the features feed a trained model, so the float64 numbers must not move.
 * Each lane runs exactly the scalar float64 arithmetic, so both frames get the values a scalar float64
 * radix-2 FFT would, whatever frame shares the call. Without wasm SIMD, framePair.ts falls back to the
 * JavaScript RealFft.
 *
 * Memory (byte pointers from the instance's heap base, all 16-byte aligned), n = fftLength / 2 complex points:
 *   z    n × 32 bytes: point i at z + 32i is (re_a, re_b) then (im_a, im_b); the caller writes
 *        z_a[i] = x_a[2i] + i·x_a[2i+1] (likewise b) at bit-reversed position rev(i)
 *   tw   n − 1 entries of 32 bytes (wr, wr, wi, wi): for each stage h = 1, 2, …, n/2, W_2h^j for j < h
 *   sw   n/2 + 1 entries of 32 bytes: e^{−2πik/fftLength} for the real split, k = 0..n/2
 * power(n, z, tw, sw, outA, outB):     in-place radix-2 DIT FFT of z, then |X_a[k]|² as f64 at outA + 8k and
 *                                      |X_b[k]|² at outB + 8k, k = 0..n
 * magnitude(n, z, tw, sw, outA, outB): the same with |X[k]| as f32 at outA + 4k and outB + 4k
 * mel_frames(…): windowing, FFT and mel bank of a block of frames in one call (melFrames below)
 */

import { heapBase, lazyModule, reserveMemory } from '../util/wasmModule.ts';
import { FFT_PAIR_WASM } from './fftPairWasm.ts';

/** The compiled module, or null when this runtime has no wasm SIMD. */
const module = lazyModule(FFT_PAIR_WASM);

/** Whether this runtime runs the kernel (WebAssembly with SIMD). */
export function fftPairSimdAvailable(): boolean {
  return module() !== null;
}

/** Signal samples per melFrames() kernel call (a block of frames; 512 KiB of the instance's memory). */
const MEL_BLOCK_SAMPLES = 1 << 17;

/** The frames melFrames() cuts: the window (frameLength values), the hop, and whether each frame's weighted mean is removed. */
export interface KernelFraming {
  window: Float64Array;
  hopLength: number;
  removeDc: boolean;
}

/** A sparse mel bank (MelBank.sparse): band m weights bins first[m] … with weights[offsets[m], offsets[m + 1]). */
export interface SparseMel {
  first: Int32Array;
  offsets: Int32Array;
  weights: Float64Array;
}

/**
 * One FFT size's kernel instance: its memory holds the tables, the input z and the output rows.
 * Write the two frames into `z`, then call power(), magnitude() or (given a mel bank) mel().
 */
export class FftPairKernel {
  /** complex points n = fftLength / 2 */
  readonly points: number;
  /** z as float64 values: point i is [4i] re_a, [4i+1] re_b, [4i+2] im_a, [4i+3] im_b */
  readonly z: Float64Array;
  /** bit-reversed position of point i */
  readonly reversed: Int32Array;
  /** |X_a|² / |X_b|² (bins = n + 1 values each), valid after power() */
  readonly powerA: Float64Array;
  readonly powerB: Float64Array;
  /** |X_a| / |X_b| as float32, valid after magnitude() */
  readonly magnitudeA: Float32Array;
  readonly magnitudeB: Float32Array;
  /** mel power of frame a / b as float32 (melBins values each), valid after mel() */
  readonly melA: Float32Array;
  readonly melB: Float32Array;
  private readonly runPower: (...args: number[]) => void;
  private readonly runMagnitude: (...args: number[]) => void;
  private readonly runMel: (...args: number[]) => void;
  private readonly runMelFrames: (...args: number[]) => void;
  private readonly memory: WebAssembly.Memory;
  private readonly framing: (KernelFraming & { frameLength: number; blockFrames: number; windowSum: number }) | null;
  private readonly ptr: {
    z: number;
    tw: number;
    sw: number;
    powA: number;
    powB: number;
    magA: number;
    magB: number;
    pairs: number;
    bands: number;
    melBins: number;
    melA: number;
    melB: number;
    win: number;
    rev: number;
    scratch: number;
    signal: number;
    rows: number;
  };

  constructor(fftLength: number, mel?: SparseMel, framing?: KernelFraming) {
    const mod = module();
    if (!mod) throw new Error('capuchin features: this runtime has no WebAssembly SIMD');
    if (!Number.isInteger(fftLength) || fftLength < 4 || (fftLength & (fftLength - 1)) !== 0) throw new RangeError(`FftPairKernel: fftLength must be a power of two ≥ 4, got ${fftLength}`);
    const pts = fftLength / 2;
    this.points = pts;
    const bins = pts + 1;
    const melBins = mel ? mel.first.length : 0;
    if (mel && (mel.offsets.length !== melBins + 1 || mel.offsets[melBins] !== mel.weights.length)) throw new RangeError('FftPairKernel: malformed sparse mel bank');
    const align = (b: number) => Math.ceil(b / 16) * 16;
    const instance = new WebAssembly.Instance(mod);
    const zPtr = heapBase(instance);
    const tw = zPtr + 32 * pts;
    const sw = tw + 32 * pts;
    const powA = sw + 32 * (pts / 2 + 1);
    const powB = align(powA + 8 * bins);
    const magA = align(powB + 8 * bins);
    const magB = align(magA + 4 * bins);
    const pairs = align(magB + 4 * bins);
    // the band table is placed so that the weights right after it start 16-byte aligned
    const bands = align(pairs + 16 * bins + 8 * melBins) - 8 * melBins;
    const weights = bands + 8 * melBins;
    const melA = align(weights + 16 * (mel ? mel.weights.length : 0));
    const melB = align(melA + 4 * melBins);
    // melFrames(): the window, the bit-reversal table, a scratch row, a block of signal and its mel rows
    const frameLength = framing?.window.length ?? 0;
    const hop = framing?.hopLength ?? 1;
    // an even number of frames per block: every call but the last fills whole pairs
    const blockFrames = framing && mel ? 2 * Math.max(1, Math.floor((Math.floor((MEL_BLOCK_SAMPLES - frameLength) / hop) + 1) / 2)) : 0;
    const win = melB + 4 * melBins;
    const rev = align(win + 8 * frameLength);
    const scratch = align(rev + 4 * pts);
    const signal = align(scratch + 16 * frameLength);
    const rows = align(signal + 4 * (blockFrames > 0 ? (blockFrames - 1) * hop + frameLength : 0));
    const bytes = align(rows + 4 * melBins * blockFrames);
    const memory = instance.exports.memory as WebAssembly.Memory;
    reserveMemory(memory, bytes);
    this.runPower = instance.exports.power as (...args: number[]) => void;
    this.runMagnitude = instance.exports.magnitude as (...args: number[]) => void;
    this.runMel = instance.exports.mel as (...args: number[]) => void;
    this.runMelFrames = instance.exports.mel_frames as (...args: number[]) => void;
    this.ptr = { z: zPtr, tw, sw, powA, powB, magA, magB, pairs, bands, melBins, melA, melB, win, rev, scratch, signal, rows };
    this.memory = memory;
    const windowSum = framing ? framing.window.reduce((a, b) => a + b, 0) : 0;
    // FrameAnalyzer.load removes the mean only where the window sums above 0
    this.framing = framing && mel ? { ...framing, removeDc: framing.removeDc && windowSum > 0, frameLength, blockFrames, windowSum } : null;
    const buf = memory.buffer;
    this.z = new Float64Array(buf, zPtr, 4 * pts);
    this.powerA = new Float64Array(buf, powA, bins);
    this.powerB = new Float64Array(buf, powB, bins);
    this.magnitudeA = new Float32Array(buf, magA, bins);
    this.magnitudeB = new Float32Array(buf, magB, bins);
    this.melA = new Float32Array(buf, melA, melBins);
    this.melB = new Float32Array(buf, melB, melBins);
    writeTwiddles(buf, tw, sw, fftLength);
    if (mel) writeMelBank(buf, bands, weights, mel, bins);
    this.reversed = bitReversal(pts);
    if (this.framing) {
      new Float64Array(buf, win, frameLength).set(this.framing.window);
      new Int32Array(buf, rev, pts).set(this.reversed);
    }
  }

  /** FFT of z, then |X|² of both frames into powerA / powerB. */
  power(): void {
    const p = this.ptr;
    this.runPower(this.points, p.z, p.tw, p.sw, p.powA, p.powB, 0, 0, 0);
  }

  /** FFT of z, then |X| of both frames (float32) into magnitudeA / magnitudeB. */
  magnitude(): void {
    const p = this.ptr;
    this.runMagnitude(this.points, p.z, p.tw, p.sw, p.magA, p.magB, 0, 0, 0);
  }

  /** Whether melFrames() runs (built with a mel bank and a framing). */
  get framesInOneCall(): boolean {
    return this.framing !== null;
  }

  /** The framing's hop (0 without one). */
  get hopLength(): number {
    return this.framing?.hopLength ?? 0;
  }

  /**
   * Mel power rows of `frames` frames of `signal`, frame f at offset + f·hopLength (each whole inside the signal),
   * into out from row `at` on: windowing (and DC removal) as FrameAnalyzer.load, FFT and bank in wasm, a block of
   * frames per call. Equal to pairs of mel() calls bit for bit.
   */
  melFrames(signal: Float32Array, offset: number, frames: number, out: Float32Array, at: number): void {
    const fr = this.framing;
    const p = this.ptr;
    if (!fr) throw new Error('FftPairKernel: built without a mel bank and framing');
    const { hopLength, frameLength, blockFrames, removeDc, windowSum } = fr;
    const buf = this.memory.buffer;
    for (let done = 0; done < frames; done += blockFrames) {
      const n = Math.min(blockFrames, frames - done);
      const start = offset + done * hopLength;
      const length = (n - 1) * hopLength + frameLength;
      new Float32Array(buf, p.signal, length).set(signal.subarray(start, start + length));
      this.runMelFrames(this.points, p.z, p.tw, p.sw, p.pairs, p.bands, p.melBins, p.rev, p.signal, n, hopLength, p.win, frameLength, removeDc ? 1 : 0, windowSum, p.scratch, p.rows);
      out.set(new Float32Array(buf, p.rows, n * p.melBins), (at + done) * p.melBins);
    }
  }

  /** FFT of z, |X|², then the mel bank given to the constructor: both frames' mel power into melA / melB. */
  mel(): void {
    const p = this.ptr;
    if (p.melBins === 0) throw new Error('FftPairKernel: built without a mel bank');
    this.runMel(this.points, p.z, p.tw, p.sw, p.melA, p.melB, p.pairs, p.bands, p.melBins);
  }
}

/** The FFT stages' twiddles at tw and the real split's at sw, each as (c, c, s, s) f64 lanes. */
function writeTwiddles(buf: ArrayBuffer, tw: number, sw: number, fftLength: number): void {
  const pts = fftLength / 2;
  const twiddles = new Float64Array(buf, tw, 4 * pts);
  for (let hh = 1, e = 0; hh < pts; hh *= 2) {
    for (let j = 0; j < hh; j++, e++) {
      const c = Math.cos((-Math.PI * j) / hh);
      const s = Math.sin((-Math.PI * j) / hh);
      twiddles.set([c, c, s, s], 4 * e);
    }
  }
  const split = new Float64Array(buf, sw, 4 * (pts / 2 + 1));
  for (let k = 0; k <= pts / 2; k++) {
    const c = Math.cos((-2 * Math.PI * k) / fftLength);
    const s = Math.sin((-2 * Math.PI * k) / fftLength);
    split.set([c, c, s, s], 4 * k);
  }
}

/** The sparse bank: (byte offset of its first bin's pair, bin count) per band at `bands`, the weights as (w, w) pairs at `weights`. */
function writeMelBank(buf: ArrayBuffer, bands: number, weights: number, mel: SparseMel, bins: number): void {
  const melBins = mel.first.length;
  const table = new Int32Array(buf, bands, 2 * melBins);
  for (let b = 0; b < melBins; b++) {
    const count = mel.offsets[b + 1] - mel.offsets[b];
    if (count > 0 && (mel.first[b] < 0 || mel.first[b] + count > bins)) throw new RangeError(`FftPairKernel: mel band ${b} reaches past bin ${bins - 1}`);
    table[2 * b] = 16 * mel.first[b];
    table[2 * b + 1] = count;
  }
  const w = new Float64Array(buf, weights, 2 * mel.weights.length);
  for (let j = 0; j < mel.weights.length; j++) {
    w[2 * j] = mel.weights[j];
    w[2 * j + 1] = mel.weights[j];
  }
}

/** The bit-reversed position of each of `points` (a power of two) points. */
function bitReversal(points: number): Int32Array {
  const bitsN = Math.log2(points);
  const reversed = new Int32Array(points);
  for (let i = 0; i < points; i++) {
    let r = 0;
    for (let b = 0; b < bitsN; b++) r |= ((i >> b) & 1) << (bitsN - 1 - b);
    reversed[i] = r;
  }
  return reversed;
}
