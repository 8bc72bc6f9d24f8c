/**
 * The shared per-frame work, done once per frame (meyda's prepareSignalWithSpectrum): window the frame,
 * zero-pad it to fftLength, run one real FFT. The Meyda-backed extractors, and the STFT and mel front end
 * where the runtime has no wasm SIMD, go through here (with SIMD those run two frames at a time through
 * framePair.ts, which still windows with `load`). `magnitude`/`power` write |X| or |X|² straight to the caller's
 * buffer; `analyze` keeps the complex spectrum (for the Meyda extractors). All buffers are
 * preallocated: nothing is allocated per frame.
 */
import { RealFft } from './realFft.ts';
import { hannWindow } from './window.ts';

export interface FramingOptions {
  /** samples per frame (the window length) */
  frameLength: number;
  /** FFT size, a power of two ≥ frameLength */
  fftLength: number;
  /** window of frameLength values; default the periodic Hann window */
  window?: Float64Array;
  /** subtract the frame's window-weighted mean Σw·x/Σw first, so a constant offset adds nothing to any bin */
  removeDc?: boolean;
}

export class FrameAnalyzer {
  readonly frameLength: number;
  readonly fftLength: number;
  /** non-redundant FFT bins: fftLength/2 + 1 */
  readonly bins: number;
  /** the windowed frame, zero-padded at its end to fftLength (valid after any of analyze/magnitude/power) */
  readonly windowed: Float64Array;
  /** FFT of `windowed`: bins k = 0..fftLength/2 at [2k] (Re), [2k+1] (Im), valid after analyze */
  readonly spectrum: Float64Array;
  /** the frameLength window values */
  readonly window: Float64Array;
  private readonly fft: RealFft;
  private readonly removeDc: boolean;
  private readonly windowSum: number;

  constructor(opts: FramingOptions) {
    const { frameLength, fftLength } = opts;
    if (!Number.isInteger(frameLength) || frameLength < 1) throw new RangeError(`FrameAnalyzer: frameLength must be a positive integer, got ${frameLength}`);
    if (fftLength < frameLength || (fftLength & (fftLength - 1)) !== 0 || fftLength < 4)
      throw new RangeError(`FrameAnalyzer: fftLength must be a power of two ≥ max(4, frameLength (${frameLength})), got ${fftLength}`);
    this.window = opts.window ?? hannWindow(frameLength, true);
    if (this.window.length !== frameLength) throw new RangeError(`FrameAnalyzer: window has ${this.window.length} values, frameLength is ${frameLength}`);
    this.frameLength = frameLength;
    this.fftLength = fftLength;
    this.removeDc = opts.removeDc === true;
    this.windowSum = this.window.reduce((a, b) => a + b, 0);
    this.bins = fftLength / 2 + 1;
    this.windowed = new Float64Array(fftLength);
    this.fft = new RealFft(fftLength);
    this.spectrum = new Float64Array(fftLength + 2);
  }

  /** Window signal[offset, offset + frameLength) (samples past either end read as 0) and transform it into `spectrum`. */
  analyze(signal: Float32Array, offset: number): void {
    this.load(signal, offset);
    this.fft.forward(this.windowed, this.spectrum);
  }

  /** |X[k]| of the frame at `offset`, k = 0..bins−1, into out[at, at+bins) (no intermediate spectrum). */
  magnitude(signal: Float32Array, offset: number, out: Float32Array, at: number): void {
    this.load(signal, offset);
    this.fft.magnitude(this.windowed, out, at);
  }

  /** |X[k]|² of the frame at `offset` into out[at, at+bins). */
  power(signal: Float32Array, offset: number, out: Float64Array, at: number): void {
    this.load(signal, offset);
    this.fft.power(this.windowed, out, at);
  }

  /** Window the frame into `windowed` (its zero padding stays zero); no FFT. */
  load(signal: Float32Array, offset: number): void {
    const { windowed, window, frameLength } = this;
    if (offset >= 0 && offset + frameLength <= signal.length) {
      for (let i = 0; i < frameLength; i++) windowed[i] = signal[offset + i] * window[i];
    } else {
      for (let i = 0; i < frameLength; i++) {
        const j = offset + i;
        windowed[i] = j >= 0 && j < signal.length ? signal[j] * window[i] : 0;
      }
    }
    if (this.removeDc && this.windowSum > 0) {
      // windowed = w·x; the weighted mean is Σ w·x / Σ w; (x − m)·w = windowed − m·w
      let weighted = 0;
      for (let i = 0; i < frameLength; i++) weighted += windowed[i];
      const mean = weighted / this.windowSum;
      for (let i = 0; i < frameLength; i++) windowed[i] -= mean * window[i];
    }
  }
}
