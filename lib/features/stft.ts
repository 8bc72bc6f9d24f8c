/**
 * Short-time Fourier transform of a signal of any length, with tf.signal.stft framing (pad_end=False):
 * frame i covers samples [i·hop, i·hop + frameLength), windowed, zero-padded to fftLength.
 *
 * Streaming-friendly two ways: `magnitude(signal, {start, end})` computes only frames [start, end)
 * of a long signal, and `StftStream` takes successive chunks and returns each frame once it is complete.
 */
import { FrameAnalyzer } from './frame.ts';
import { FramePairAnalyzer } from './framePair.ts';
import { createMatrix, type Matrix } from './matrix.ts';

export interface StftOptions {
  frameLength: number;
  hopLength: number;
  fftLength: number;
  /** frameLength window values; default periodic Hann */
  window?: Float64Array;
  /** run |X| and |X|² frames two at a time on the wasm SIMD kernel (default: where the runtime has wasm SIMD) */
  simd?: boolean;
  /** subtract each frame's window-weighted mean before the FFT (FeatureConfig.removeDc) */
  removeDc?: boolean;
}

/** Frames [start, end) of a signal. */
export interface FrameRange {
  start: number;
  end: number;
}

/** Whole frames in a signal of `length` samples: floor((length − frameLength) / hop) + 1, or 0. */
export function frameCount(length: number, frameLength: number, hopLength: number): number {
  return length < frameLength ? 0 : Math.floor((length - frameLength) / hopLength) + 1;
}

export type SpectrumValue = 'magnitude' | 'power';

export class Stft {
  readonly frameLength: number;
  readonly hopLength: number;
  readonly fftLength: number;
  /** fftLength/2 + 1 */
  readonly bins: number;
  private readonly analyzer: FrameAnalyzer;
  private readonly pairs: FramePairAnalyzer;

  constructor(opts: StftOptions) {
    if (!Number.isInteger(opts.hopLength) || opts.hopLength < 1) throw new RangeError(`Stft: hopLength must be a positive integer, got ${opts.hopLength}`);
    this.analyzer = new FrameAnalyzer(opts);
    this.frameLength = opts.frameLength;
    this.hopLength = opts.hopLength;
    this.fftLength = opts.fftLength;
    this.bins = this.analyzer.bins;
    this.pairs = new FramePairAnalyzer(opts, opts.simd);
  }

  frameCount(signalLength: number): number {
    return frameCount(signalLength, this.frameLength, this.hopLength);
  }

  /** |STFT| [frames, bins] of frames [range.start, range.end) (default: all whole frames). */
  magnitude(signal: Float32Array, range?: FrameRange): Matrix {
    return this.compute(signal, 'magnitude', range);
  }

  /** |STFT|² [frames, bins]. */
  power(signal: Float32Array, range?: FrameRange): Matrix {
    return this.compute(signal, 'power', range);
  }

  /**
   * Analyze frames [range.start, range.end) one at a time and hand each to `visit` with its row
   * index (0 for range.start); the analyzer's `windowed` and `spectrum` hold that frame.
   */
  forEachFrame(signal: Float32Array, range: FrameRange, visit: (analyzer: FrameAnalyzer, row: number) => void): void {
    this.checkRange(signal, range);
    const a = this.analyzer;
    for (let f = range.start; f < range.end; f++) {
      a.analyze(signal, f * this.hopLength);
      visit(a, f - range.start);
    }
  }

  /** Hand the power spectrum |X|² (bins values, reused between calls) of each frame in range to `visit`. */
  forEachPowerFrame(signal: Float32Array, range: FrameRange, visit: (power: Float64Array, row: number) => void): void {
    this.checkRange(signal, range);
    const { pairs, hopLength } = this;
    const { start, end } = range;
    let f = start;
    for (; f + 1 < end; f += 2) {
      pairs.power(signal, f * hopLength, (f + 1) * hopLength);
      visit(pairs.powerA, f - start);
      visit(pairs.powerB, f + 1 - start);
    }
    if (f < end) {
      pairs.power(signal, f * hopLength, f * hopLength);
      visit(pairs.powerA, f - start);
    }
  }

  /** Write frames [range.start, range.end) into `out` (rows × bins, row 0 = range.start). */
  computeInto(signal: Float32Array, value: SpectrumValue, range: FrameRange, out: Matrix): void {
    this.checkRange(signal, range);
    if (out.cols !== this.bins || out.rows < range.end - range.start)
      throw new RangeError(`Stft: output is ${out.rows}×${out.cols}, need ${range.end - range.start}×${this.bins}`);
    const { pairs, bins, hopLength } = this;
    const { start, end } = range;
    const data = out.data;
    if (value === 'magnitude') {
      let f = start;
      for (; f + 1 < end; f += 2) pairs.magnitude(signal, f * hopLength, (f + 1) * hopLength, data, (f - start) * bins, (f + 1 - start) * bins);
      // a lone last frame goes through the same kernel (paired with itself), so a frame's values never depend on its neighbours
      if (f < end) pairs.magnitude(signal, f * hopLength, f * hopLength, data, (f - start) * bins, (f - start) * bins);
    } else {
      this.forEachPowerFrame(signal, range, (power, row) => data.set(power, row * bins));
    }
  }

  private checkRange(signal: Float32Array, { start, end }: FrameRange): void {
    const total = this.frameCount(signal.length);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > total)
      throw new RangeError(`Stft: frame range [${start}, ${end}) is outside the signal's ${total} whole frames`);
  }

  private compute(signal: Float32Array, value: SpectrumValue, range?: FrameRange): Matrix {
    const r = range ?? { start: 0, end: this.frameCount(signal.length) };
    const out = createMatrix(Math.max(0, r.end - r.start), this.bins);
    this.computeInto(signal, value, r, out);
    return out;
  }
}

/**
 * Chunked STFT: push() successive pieces of one long signal and get back the frames that became
 * complete; the frames are exactly those of Stft on the concatenated signal. Keeps at most
 * frameLength − 1 + hop samples between calls.
 */
export class StftStream {
  private readonly stft: Stft;
  private readonly value: SpectrumValue;
  private tail = new Float32Array(0);
  /** frames emitted so far */
  framesOut = 0;

  constructor(opts: StftOptions, value: SpectrumValue = 'magnitude') {
    this.stft = new Stft(opts);
    this.value = value;
  }

  push(chunk: Float32Array): Matrix {
    const buf = new Float32Array(this.tail.length + chunk.length);
    buf.set(this.tail, 0);
    buf.set(chunk, this.tail.length);
    const n = this.stft.frameCount(buf.length);
    const out = createMatrix(n, this.stft.bins);
    if (n > 0) this.stft.computeInto(buf, this.value, { start: 0, end: n }, out);
    this.framesOut += n;
    this.tail = buf.slice(n * this.stft.hopLength);
    return out;
  }
}
