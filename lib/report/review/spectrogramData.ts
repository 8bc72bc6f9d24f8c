/**
 * A recording's review spectrogram as the page draws it: time averaged down to at most `maxRows` rows,
 * each value quantised to a byte between the 2nd and 99.5th percentile (so a few loud frames do not wash
 * the image out), base64. A 60 s recording at 10 rows/s and 64 bands is 38 kB of text.
 */
import type { ReviewRecordingData } from './types.ts';

export interface SpectrogramInput {
  /** Row-major [time rows][frequency bins low → high]. */
  data: Float32Array | readonly number[];
  rows: number;
  cols: number;
  hopSec: number;
  fminHz: number;
  fmaxHz: number;
}

/** 2nd and 99.5th percentile of (a sample of) the finite values. */
export function colourRange(data: ArrayLike<number>): [number, number] {
  const step = Math.max(1, Math.floor(data.length / 20000));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  if (!sample.length) return [0, 1];
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.02 * (sample.length - 1))];
  const hi = sample[Math.floor(0.995 * (sample.length - 1))];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

export function reviewSpectrogram(s: SpectrogramInput, maxRows = 6000): NonNullable<ReviewRecordingData['spectrogram']> {
  if (!(s.rows > 0 && s.cols > 0 && s.data.length === s.rows * s.cols && s.hopSec > 0 && s.fmaxHz > s.fminHz))
    throw new Error(`capuchin: review spectrogram has rows=${s.rows}, cols=${s.cols}, ${s.data.length} values, hopSec=${s.hopSec}, ${s.fminHz}–${s.fmaxHz} Hz; expected rows·cols values [time, frequency], hopSec > 0 and fmaxHz > fminHz.`);
  const [lo, hi] = colourRange(s.data);
  const group = Math.max(1, Math.ceil(s.rows / maxRows));
  const rows = Math.ceil(s.rows / group);
  const bytes = new Uint8Array(rows * s.cols);
  for (let r = 0; r < rows; r++) {
    const r0 = r * group;
    const r1 = Math.min(s.rows, r0 + group);
    for (let b = 0; b < s.cols; b++) {
      let sum = 0;
      for (let k = r0; k < r1; k++) sum += s.data[k * s.cols + b];
      const t = (sum / (r1 - r0) - lo) / (hi - lo);
      bytes[r * s.cols + b] = Number.isFinite(t) ? Math.round(255 * Math.min(1, Math.max(0, t))) : 0;
    }
  }
  return { rows, cols: s.cols, hopSec: s.hopSec * group, fminHz: s.fminHz, fmaxHz: s.fmaxHz, lo: Number(lo.toFixed(3)), hi: Number(hi.toFixed(3)), data: Buffer.from(bytes).toString('base64') };
}
