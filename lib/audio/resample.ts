/**
 * Band-limited rational resampling (polyphase Kaiser-windowed sinc), one-shot and streaming.
 *
 * Written for capuchin rather than taken from a library: resampling must not be slower than decoding, and
 * it runs in the browser page too (wasm SIMD kernel, resampleKernel.ts). The `decode` bench suite measures it
 * apart from the decoder (`extra`: resample-only throughput) beside ffmpeg's decode + resample.
 *
 * Conventions
 * - Output sample k sits at time k / toRate, the same instant as input sample k·fromRate/toRate: the filter is
 *   centred (zero phase), so there is no group delay and an impulse at t stays at t.
 * - Input outside the signal is zero. The output has round(n · toRate / fromRate) samples for n input samples.
 * - Same rate in and out is a plain copy.
 * - Streaming (`createResampler`) gives bit-for-bit the same samples as one-shot `resample`, whatever the chunking.
 */
import type { Audio } from './audio.ts';
import { designPolyphaseFilter, type PolyphaseFilter, type ResampleFilterOptions } from './resampleFilter.ts';
import { SimdKernel, simdAvailable } from './resampleKernel.ts';

export type { ResampleFilterOptions } from './resampleFilter.ts';

/**
 * Which inner loop runs: 'wasm-simd' (f32x4, float32 sums, the default where the runtime has wasm SIMD) or
 * 'js' (float64 sums). Both give the same output to about 1e-6; each is identical between streaming and one-shot.
 */
export type ResampleEngine = 'wasm-simd' | 'js';

export interface ResampleOptions extends ResampleFilterOptions {
  /** Default: 'wasm-simd' where available, else 'js'. */
  engine?: ResampleEngine;
  /** process() and flush() return views of one buffer, each valid until the next call (default: fresh arrays). */
  reuseOutput?: boolean;
}

/** The engine `createResampler` picks when none is asked for. */
export function defaultResampleEngine(): ResampleEngine {
  return simdAvailable() ? 'wasm-simd' : 'js';
}

export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /**
   * Feed the next input samples; returns every output sample that is now fully determined (may be empty). Where the
   * rates are equal that is `chunk` itself, not a copy: copy it before changing either.
   */
  process(chunk: Float32Array): Float32Array;
  /** End of input: returns the remaining output samples. The resampler cannot be used afterwards. */
  flush(): Float32Array;
}

/** Number of output samples for `inputLength` input samples: round(n · toRate / fromRate), ties up. */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  return Math.floor((2 * inputLength * toRate + fromRate) / (2 * fromRate));
}

/** Resample a whole clip. Returns a new Audio; the input is not changed. */
export function resample(audio: Audio, targetRate: number, options?: ResampleOptions): Audio {
  if (audio.sampleRate === targetRate) return { samples: audio.samples.slice(), sampleRate: targetRate };
  const resampler = createResampler(audio.sampleRate, targetRate, options);
  const head = resampler.process(audio.samples);
  const tail = resampler.flush();
  const samples = new Float32Array(head.length + tail.length);
  samples.set(head);
  samples.set(tail, head.length);
  return { samples, sampleRate: targetRate };
}

/** A streaming resampler: feed chunks of any size, then flush. */
export function createResampler(fromRate: number, toRate: number, options: ResampleOptions = {}): Resampler {
  if (fromRate === toRate) {
    if (!Number.isInteger(fromRate) || fromRate <= 0) {
      throw new RangeError(`capuchin resample: fromRate must be a positive integer in Hz, got ${fromRate}`);
    }
    return { fromRate, toRate, process: (chunk) => chunk, flush: () => new Float32Array(0) };
  }
  const { engine = defaultResampleEngine(), reuseOutput = false, ...filterOptions } = options;
  if (engine !== 'js' && engine !== 'wasm-simd') throw new RangeError(`capuchin resample: engine must be 'wasm-simd' or 'js', got '${String(engine)}'`);
  const filter = designPolyphaseFilter(fromRate, toRate, filterOptions);
  return new PolyphaseResampler(fromRate, toRate, filter, engine === 'wasm-simd' ? new SimdKernel(filter) : undefined, reuseOutput);
}

/** Outputs per wasm kernel call (bounds the wasm memory a resampler holds to a few MiB). */
const SIMD_BATCH = 1 << 18;

class PolyphaseResampler implements Resampler {
  private readonly minOffset: number; // most negative first-tap offset over phases (≤ 0)
  private readonly maxLastOffset: number; // largest last-tap offset over phases
  /** Holds input samples with absolute indices [bufferStart, bufferStart + bufferLength). */
  private buffer: Float32Array;
  private bufferStart: number;
  private bufferLength = 0;
  /** Input samples received so far. */
  private received = 0;
  /** Next output index k, and its decomposition k·down = q·up + phase. */
  private nextOutput = 0;
  private q = 0;
  private phase = 0;
  private finished = false;
  /** The outputs' buffer when they are reused (grown, never shrunk). */
  private output: Float32Array | null;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    private readonly filter: PolyphaseFilter,
    private readonly kernel?: SimdKernel,
    reuseOutput = false,
  ) {
    this.output = reuseOutput ? new Float32Array(0) : null;
    let minOffset = 0;
    let maxLast = 0;
    for (const first of filter.firstTapOffset) {
      minOffset = Math.min(minOffset, first);
      maxLast = Math.max(maxLast, first + filter.tapsPerPhase - 1);
    }
    this.minOffset = minOffset;
    this.maxLastOffset = maxLast;
    // Start with the zeros that stand for the samples before the signal.
    this.bufferStart = minOffset;
    this.bufferLength = -minOffset;
    this.buffer = new Float32Array(Math.max(1024, 4 * (filter.tapsPerPhase + 1)));
  }

  process(chunk: Float32Array): Float32Array {
    if (this.finished) throw new Error('capuchin resample: process() after flush()');
    this.append(chunk);
    this.received += chunk.length;
    // Output k is ready when its last tap q + maxLastOffset has arrived.
    return this.emit(this.countReady(this.received - 1 - this.maxLastOffset));
  }

  flush(): Float32Array {
    if (this.finished) throw new Error('capuchin resample: flush() called twice');
    this.finished = true;
    const total = resampledLength(this.received, this.fromRate, this.toRate);
    const remaining = Math.max(0, total - this.nextOutput);
    // Pad with the zeros after the signal that the remaining outputs read.
    const lastQ = Math.floor(((total - 1) * this.filter.down) / this.filter.up);
    const needed = lastQ + this.maxLastOffset + 1 - (this.bufferStart + this.bufferLength);
    if (needed > 0) this.append(new Float32Array(needed));
    return this.emit(remaining);
  }

  /** How many outputs from nextOutput on have q ≤ maxQ. */
  private countReady(maxQ: number): number {
    if (maxQ < 0) return 0;
    const { up, down } = this.filter;
    // Largest k with floor(k·down/up) ≤ maxQ is floor(((maxQ + 1)·up − 1) / down).
    const lastK = Math.floor(((maxQ + 1) * up - 1) / down);
    return Math.max(0, lastK + 1 - this.nextOutput);
  }

  private emit(count: number): Float32Array {
    if (this.output && this.output.length < count) this.output = new Float32Array(count);
    const out = this.output ? this.output.subarray(0, count) : new Float32Array(count);
    if (this.kernel) this.convolveSimd(out);
    else if (this.filter.symmetric) this.convolveSymmetric(out);
    else this.convolve(out);
    this.nextOutput += count;
    this.discardBefore(this.q + this.minOffset);
    return out;
  }

  /**
   * The wasm SIMD kernel, in batches of at most SIMD_BATCH outputs so wasm memory only ever holds one batch's
   * input window (bounded however long a one-shot clip is); then advance (q, phase) past the outputs made.
   */
  private convolveSimd(out: Float32Array): void {
    const { up, down } = this.filter;
    for (let done = 0; done < out.length; ) {
      const n = Math.min(SIMD_BATCH, out.length - done);
      const lastQ = Math.floor(((this.nextOutput + done + n - 1) * down) / up);
      const from = this.q + this.minOffset - this.bufferStart;
      const to = Math.min(this.bufferLength, lastQ + this.maxLastOffset + 1 - this.bufferStart);
      this.kernel!.convolve(this.buffer.subarray(from, to), out.subarray(done, done + n), this.q - this.bufferStart - from, this.phase);
      done += n;
      const position = (this.nextOutput + done) * down;
      this.q = Math.floor(position / up);
      this.phase = position - this.q * up;
    }
  }

  /** The general polyphase inner loop (four accumulators). */
  private convolve(out: Float32Array): void {
    const { up, down, tapsPerPhase: taps, coefficients: c, firstTapOffset } = this.filter;
    const x = this.buffer;
    let q = this.q;
    let phase = this.phase;
    const base0 = -this.bufferStart;
    for (let i = 0; i < out.length; i++) {
      const row = phase * taps;
      let b = base0 + q + firstTapOffset[phase];
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      let acc3 = 0;
      let j = 0;
      for (; j + 3 < taps; j += 4, b += 4) {
        acc0 += c[row + j] * x[b];
        acc1 += c[row + j + 1] * x[b + 1];
        acc2 += c[row + j + 2] * x[b + 2];
        acc3 += c[row + j + 3] * x[b + 3];
      }
      for (; j < taps; j++, b++) acc0 += c[row + j] * x[b];
      out[i] = acc0 + acc1 + acc2 + acc3;
      phase += down;
      q += Math.floor(phase / up);
      phase %= up;
    }
    this.q = q;
    this.phase = phase;
  }

  /**
   * The same sum for filters whose phases are palindromes: add the mirrored inputs first, then multiply,
   * halving the multiplies.
   */
  private convolveSymmetric(out: Float32Array): void {
    const { up, down, tapsPerPhase: taps, coefficients: c, firstTapOffset } = this.filter;
    const x = this.buffer;
    const half = taps >> 1;
    const odd = taps & 1;
    let q = this.q;
    let phase = this.phase;
    const base0 = -this.bufferStart;
    for (let i = 0; i < out.length; i++) {
      const row = phase * taps;
      const b = base0 + q + firstTapOffset[phase];
      const e = b + taps - 1;
      let acc0 = odd ? c[row + half] * x[b + half] : 0;
      let acc1 = 0;
      let j = 0;
      for (; j + 1 < half; j += 2) {
        acc0 += c[row + j] * (x[b + j] + x[e - j]);
        acc1 += c[row + j + 1] * (x[b + j + 1] + x[e - j - 1]);
      }
      for (; j < half; j++) acc0 += c[row + j] * (x[b + j] + x[e - j]);
      out[i] = acc0 + acc1;
      phase += down;
      q += Math.floor(phase / up);
      phase %= up;
    }
    this.q = q;
    this.phase = phase;
  }

  private append(chunk: Float32Array): void {
    const needed = this.bufferLength + chunk.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.buffer.length));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.bufferLength);
    this.bufferLength = needed;
  }

  /** Drop input samples that no future output reads (absolute index < keepFrom). */
  private discardBefore(keepFrom: number): void {
    const drop = Math.min(keepFrom - this.bufferStart, this.bufferLength);
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferStart += drop;
    this.bufferLength -= drop;
  }
}
