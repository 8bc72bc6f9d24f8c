/**
 * Mel power frames Σ|STFT|²·W of a signal (the extractor's frames() for 'mel', 'mfcc' and 'pcen'), two frames
 * at a time through FramePairAnalyzer: on the wasm SIMD kernel, FFT, power and the sparse bank run in one call.
 */
import { FramePairAnalyzer } from './framePair.ts';
import { matrixIn, type Matrix } from './matrix.ts';
import type { MelBank } from './mel.ts';
import { frameCount, type FrameRange, type StftOptions } from './stft.ts';

export class MelFrames {
  readonly melBins: number;
  private readonly pairs: FramePairAnalyzer;
  private readonly frameLength: number;
  private readonly hopLength: number;

  constructor(opts: StftOptions, bank: MelBank) {
    if (!Number.isInteger(opts.hopLength) || opts.hopLength < 1) throw new RangeError(`MelFrames: hopLength must be a positive integer, got ${opts.hopLength}`);
    this.pairs = new FramePairAnalyzer(opts, opts.simd, bank);
    this.melBins = bank.melBins;
    this.frameLength = opts.frameLength;
    this.hopLength = opts.hopLength;
  }

  /**
   * [range.end − range.start, melBins] mel power of frames [range.start, range.end) (default: all whole frames), in
   * `into` from its start where given.
   */
  frames(signal: Float32Array, range?: FrameRange, into?: Float32Array): Matrix {
    const total = frameCount(signal.length, this.frameLength, this.hopLength);
    const { start, end } = range ?? { start: 0, end: total };
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > total)
      throw new RangeError(`MelFrames: frame range [${start}, ${end}) is outside the signal's ${total} whole frames`);
    const out = matrixIn(into, end - start, this.melBins);
    this.pairs.melRun(signal, start * this.hopLength, end - start, this.hopLength, out.data, 0);
    return out;
  }
}
