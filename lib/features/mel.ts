/**
 * Mel filter bank with exactly the semantics of tf.signal.linear_to_mel_weight_matrix
 * (tensorflow/python/ops/signal/mel_ops.py):
 * - HTK mel scale: mel(f) = 1127·ln(1 + f/700);
 * - spectrogram bin k has frequency linspace(0, sampleRate/2, spectrogramBins)[k];
 * - num_mel_bins + 2 edges equally spaced in mel between fminHz and fmaxHz; band m is the triangle
 *   (edge m, edge m+1, edge m+2), linear in mel: max(0, min(lower slope, upper slope));
 * - the DC bin's row is all zero (HTK excludes DC).
 * The bank is applied to the POWER spectrum |STFT|² (not the magnitude) in capuchin.
 */
import { createMatrix, type Matrix } from './matrix.ts';

const MEL_BREAK_FREQUENCY_HERTZ = 700;
const MEL_HIGH_FREQUENCY_Q = 1127;

export function hertzToMel(hz: number): number {
  return MEL_HIGH_FREQUENCY_Q * Math.log(1 + hz / MEL_BREAK_FREQUENCY_HERTZ);
}

export function melToHertz(mel: number): number {
  return MEL_BREAK_FREQUENCY_HERTZ * (Math.exp(mel / MEL_HIGH_FREQUENCY_Q) - 1);
}

export interface MelBankOptions {
  melBins: number;
  /** fftLength/2 + 1 */
  spectrogramBins: number;
  /** the rate the linear bins are assumed to span (tf's sample_rate) */
  sampleRate: number;
  fminHz: number;
  fmaxHz: number;
}

function linspace(start: number, stop: number, n: number, i: number): number {
  return n === 1 ? start : start + ((stop - start) * i) / (n - 1);
}

/** The [spectrogramBins, melBins] weight matrix W; mel = spectrum · W. */
export function melWeightMatrix(opts: MelBankOptions): Matrix {
  const { melBins, spectrogramBins, sampleRate, fminHz, fmaxHz } = opts;
  if (!(melBins >= 1) || !(spectrogramBins >= 2)) throw new RangeError(`melWeightMatrix: need melBins ≥ 1 and spectrogramBins ≥ 2, got ${melBins}, ${spectrogramBins}`);
  if (!(fminHz >= 0 && fminHz < fmaxHz && fmaxHz <= sampleRate / 2))
    throw new RangeError(`melWeightMatrix: need 0 ≤ fminHz < fmaxHz ≤ sampleRate/2 (${sampleRate / 2}), got ${fminHz}, ${fmaxHz}`);
  const lowMel = hertzToMel(fminHz);
  const highMel = hertzToMel(fmaxHz);
  const edges = Array.from({ length: melBins + 2 }, (_, i) => linspace(lowMel, highMel, melBins + 2, i));
  const w = createMatrix(spectrogramBins, melBins);
  for (let k = 1; k < spectrogramBins; k++) {
    const binMel = hertzToMel(linspace(0, sampleRate / 2, spectrogramBins, k));
    for (let m = 0; m < melBins; m++) {
      const lower = (binMel - edges[m]) / (edges[m + 1] - edges[m]);
      const upper = (edges[m + 2] - binMel) / (edges[m + 2] - edges[m + 1]);
      w.data[k * melBins + m] = Math.max(0, Math.min(lower, upper));
    }
  }
  return w;
}

/**
 * The weight matrix stored sparsely: each mel band keeps only its nonzero span of spectrogram bins
 * (a few bins each), so applying it costs O(nonzeros) instead of O(bins · melBins).
 */
export class MelBank {
  readonly melBins: number;
  readonly spectrogramBins: number;
  private readonly first: Int32Array;
  private readonly offsets: Int32Array;
  private readonly weights: Float64Array;

  constructor(opts: MelBankOptions) {
    const w = melWeightMatrix(opts);
    const { melBins, spectrogramBins } = opts;
    this.melBins = melBins;
    this.spectrogramBins = spectrogramBins;
    this.first = new Int32Array(melBins);
    this.offsets = new Int32Array(melBins + 1);
    const values: number[] = [];
    for (let m = 0; m < melBins; m++) {
      let lo = -1;
      let hi = -1;
      for (let k = 0; k < spectrogramBins; k++) {
        if (w.data[k * melBins + m] > 0) {
          if (lo < 0) lo = k;
          hi = k;
        }
      }
      this.first[m] = Math.max(lo, 0);
      this.offsets[m] = values.length;
      if (lo >= 0) for (let k = lo; k <= hi; k++) values.push(w.data[k * melBins + m]);
    }
    this.offsets[melBins] = values.length;
    this.weights = Float64Array.from(values);
  }

  /** The stored form: band m weights bins first[m], first[m] + 1, … with weights[offsets[m], offsets[m + 1]). */
  get sparse(): { first: Int32Array; offsets: Int32Array; weights: Float64Array } {
    return { first: this.first, offsets: this.offsets, weights: this.weights };
  }

  /** Number of stored weights (for reporting how sparse the bank is). */
  get nonzeros(): number {
    return this.weights.length;
  }

  /** mel[m] = Σ_k spectrum[at + k] · W[k, m], written to out[outAt + m]. */
  applyRow(spectrum: Float64Array | Float32Array, at: number, out: Float32Array | Float64Array, outAt: number): void {
    const { first, offsets, weights } = this;
    for (let m = 0; m < this.melBins; m++) {
      let sum = 0;
      const base = at + first[m] - offsets[m];
      for (let j = offsets[m], end = offsets[m + 1]; j < end; j++) sum += spectrum[base + j] * weights[j];
      out[outAt + m] = sum;
    }
  }

  /** [frames, spectrogramBins] → [frames, melBins]. */
  apply(spectrum: Matrix): Matrix {
    if (spectrum.cols !== this.spectrogramBins) throw new RangeError(`MelBank: spectrum has ${spectrum.cols} bins, the bank expects ${this.spectrogramBins}`);
    const out = createMatrix(spectrum.rows, this.melBins);
    for (let r = 0; r < spectrum.rows; r++) this.applyRow(spectrum.data, r * spectrum.cols, out.data, r * this.melBins);
    return out;
  }
}
