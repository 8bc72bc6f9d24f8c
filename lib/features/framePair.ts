/**
 * Frames two at a time: window both (FrameAnalyzer.load), pack them into the two f64x2 lanes of the wasm SIMD
 * FFT kernel (fftPairKernel.ts) and read back |X|² or |X| of each. Where the runtime has no wasm SIMD, or for
 * a lone frame, each frame goes through FrameAnalyzer's JavaScript FFT instead (same values to ~1e-14).
 * Given a mel bank, mel() runs power and bank in the kernel too and returns mel power rows.
 */
import { FftPairKernel, fftPairSimdAvailable } from './fftPairKernel.ts';
import { FrameAnalyzer, type FramingOptions } from './frame.ts';
import type { MelBank } from './mel.ts';

export class FramePairAnalyzer {
  readonly bins: number;
  /** |X|² of frame a and frame b after power() */
  readonly powerA: Float64Array;
  readonly powerB: Float64Array;
  private readonly a: FrameAnalyzer;
  private readonly b: FrameAnalyzer;
  private readonly kernel: FftPairKernel | null;
  private readonly melBank: MelBank | null;
  private readonly frameLength: number;
  private readonly window: Float64Array;
  /** no DC removal: frames can be windowed straight into the kernel */
  private readonly direct: boolean;

  /** `opts.hopLength` with a mel bank: runs of frames go to the kernel in one call each (melFrames). */
  constructor(opts: FramingOptions & { hopLength?: number }, useSimd = fftPairSimdAvailable(), melBank: MelBank | null = null) {
    this.a = new FrameAnalyzer(opts);
    this.b = new FrameAnalyzer(opts);
    this.frameLength = opts.frameLength;
    this.window = this.a.window;
    this.direct = opts.removeDc !== true;
    this.bins = this.a.bins;
    if (melBank && melBank.spectrogramBins !== this.bins) throw new RangeError(`FramePairAnalyzer: the mel bank expects ${melBank.spectrogramBins} bins, frames have ${this.bins}`);
    this.melBank = melBank;
    const framing = melBank && opts.hopLength ? { window: this.window, hopLength: opts.hopLength, removeDc: opts.removeDc === true } : undefined;
    this.kernel = useSimd ? new FftPairKernel(opts.fftLength, melBank?.sparse, framing) : null;
    this.powerA = this.kernel ? this.kernel.powerA : new Float64Array(this.bins);
    this.powerB = this.kernel ? this.kernel.powerB : new Float64Array(this.bins);
  }

  /** Whether pairs run on the wasm SIMD kernel. */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** |X|² of the frames at offsetA and offsetB into `powerA` and `powerB` (bins values each, reused between calls). */
  power(signal: Float32Array, offsetA: number, offsetB: number): void {
    const k = this.kernel;
    if (!k) {
      this.a.power(signal, offsetA, this.powerA, 0);
      this.a.power(signal, offsetB, this.powerB, 0);
      return;
    }
    this.pack(k, signal, offsetA, offsetB);
    k.power();
  }

  /** Mel power Σ|X|²·W of the frames at offsetA and offsetB into out[atA, atA + melBins) and out[atB, atB + melBins). */
  mel(signal: Float32Array, offsetA: number, offsetB: number, out: Float32Array, atA: number, atB: number): void {
    const bank = this.melBank;
    if (!bank) throw new Error('FramePairAnalyzer: built without a mel bank');
    const k = this.kernel;
    if (!k) {
      this.power(signal, offsetA, offsetB);
      bank.applyRow(this.powerA, 0, out, atA);
      bank.applyRow(this.powerB, 0, out, atB);
      return;
    }
    this.pack(k, signal, offsetA, offsetB);
    k.mel();
    out.set(k.melA, atA);
    out.set(k.melB, atB);
  }

  /**
   * Mel power of `frames` frames hopLength apart from `offset` (each whole inside the signal) into out from row `at`:
   * one kernel call per block of frames where the kernel has the framing, else mel() pair by pair. The same values.
   */
  melRun(signal: Float32Array, offset: number, frames: number, hopLength: number, out: Float32Array, at: number): void {
    const k = this.kernel;
    if (k?.framesInOneCall && k.hopLength === hopLength) {
      k.melFrames(signal, offset, frames, out, at);
      return;
    }
    const melBins = this.melBank?.melBins ?? 0;
    let f = 0;
    for (; f + 1 < frames; f += 2) this.mel(signal, offset + f * hopLength, offset + (f + 1) * hopLength, out, (at + f) * melBins, (at + f + 1) * melBins);
    // a lone last frame: computed as a pair with itself, one row kept
    if (f < frames) this.mel(signal, offset + f * hopLength, offset + f * hopLength, out, (at + f) * melBins, (at + f) * melBins);
  }

  /** |X| of the frames at offsetA and offsetB into out[atA, atA + bins) and out[atB, atB + bins). */
  magnitude(signal: Float32Array, offsetA: number, offsetB: number, out: Float32Array, atA: number, atB: number): void {
    const k = this.kernel;
    if (!k) {
      this.a.magnitude(signal, offsetA, out, atA);
      this.a.magnitude(signal, offsetB, out, atB);
      return;
    }
    this.pack(k, signal, offsetA, offsetB);
    k.magnitude();
    out.set(k.magnitudeA, atA);
    out.set(k.magnitudeB, atB);
  }

  /** Window both frames and write them to the kernel's input, point i = x[2i] + i·x[2i+1] at its bit-reversed slot. */
  private pack(k: FftPairKernel, signal: Float32Array, offsetA: number, offsetB: number): void {
    const { z, reversed, points } = k;
    const { frameLength, window } = this;
    if (this.direct && offsetA >= 0 && offsetB >= 0 && offsetA + frameLength <= signal.length && offsetB + frameLength <= signal.length) {
      // the common case, windowed straight into z: whole pairs of samples, then an odd last one, then zeros
      const pairs = frameLength >> 1;
      let i = 0;
      for (; i < pairs; i++) {
        const r = 4 * reversed[i];
        const w0 = window[2 * i];
        const w1 = window[2 * i + 1];
        z[r] = signal[offsetA + 2 * i] * w0;
        z[r + 1] = signal[offsetB + 2 * i] * w0;
        z[r + 2] = signal[offsetA + 2 * i + 1] * w1;
        z[r + 3] = signal[offsetB + 2 * i + 1] * w1;
      }
      if (frameLength & 1) {
        const r = 4 * reversed[i];
        const w0 = window[2 * i];
        z[r] = signal[offsetA + 2 * i] * w0;
        z[r + 1] = signal[offsetB + 2 * i] * w0;
        z[r + 2] = 0;
        z[r + 3] = 0;
        i++;
      }
      for (; i < points; i++) {
        const r = 4 * reversed[i];
        z[r] = 0;
        z[r + 1] = 0;
        z[r + 2] = 0;
        z[r + 3] = 0;
      }
      return;
    }
    this.a.load(signal, offsetA);
    this.b.load(signal, offsetB);
    const xa = this.a.windowed;
    const xb = this.b.windowed;
    for (let i = 0; i < points; i++) {
      const r = 4 * reversed[i];
      z[r] = xa[2 * i];
      z[r + 1] = xb[2 * i];
      z[r + 2] = xa[2 * i + 1];
      z[r + 3] = xb[2 * i + 1];
    }
  }
}
