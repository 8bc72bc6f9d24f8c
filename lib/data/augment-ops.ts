/**
 * Pure augmentation operations. Each returns a new array / matrix and never mutates its input.
 * The random choices live in augment.ts; these take explicit amounts, so they are testable.
 */
import type { Matrix } from '../features/matrix.ts';
import type { MaskFill } from './augment-config.ts';

/**
 * Moves the signal `shift` samples later (negative: earlier). 'circular' wraps the samples
 * pushed off one end round to the other; 'zero' fills the vacated part with zeros.
 */
export function timeShift(samples: Float32Array, shift: number, mode: 'circular' | 'zero'): Float32Array {
  if (!Number.isInteger(shift)) throw new RangeError(`timeShift: shift must be an integer number of samples, got ${shift}`);
  const n = samples.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (mode === 'circular') {
    const s = ((shift % n) + n) % n;
    out.set(samples.subarray(n - s), 0);
    out.set(samples.subarray(0, n - s), s);
  } else if (Math.abs(shift) < n) {
    if (shift >= 0) out.set(samples.subarray(0, n - shift), shift);
    else out.set(samples.subarray(-shift), 0);
  }
  return out;
}

/** Multiplies by 10^(db/20). */
export function applyGain(samples: Float32Array, db: number): Float32Array {
  const g = Math.pow(10, db / 20);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] * g;
  return out;
}

export function meanPower(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length > 0 ? sum / samples.length : 0;
}

/**
 * signal + c·noise with c chosen so that meanPower(signal) / meanPower(c·noise) = 10^(snrDb/10)
 * over the whole clip. `noise` is tiled or cut to the signal's length. A silent signal or
 * silent noise has no defined SNR: the signal is returned unchanged (as a copy).
 */
export function mixAtSnr(signal: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const n = signal.length;
  const fitted = new Float32Array(n);
  if (noise.length > 0) for (let i = 0; i < n; i++) fitted[i] = noise[i % noise.length];
  const ps = meanPower(signal);
  const pn = meanPower(fitted);
  const out = signal.slice();
  if (ps === 0 || pn === 0) return out;
  const c = Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10)));
  for (let i = 0; i < n; i++) out[i] += c * fitted[i];
  return out;
}

/** The fill value for masks on this matrix. */
export function maskValue(m: Matrix, fill: MaskFill): number {
  if (fill === 'zero' || m.data.length === 0) return 0;
  let min = Infinity;
  let sum = 0;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v < min) min = v;
    sum += v;
  }
  return fill === 'min' ? min : sum / m.data.length;
}

/** Sets frames (rows) [start, start+width) to `value`; the range is clipped to the matrix. */
export function timeMask(m: Matrix, start: number, width: number, value: number): Matrix {
  const out = { data: m.data.slice(), rows: m.rows, cols: m.cols };
  fillRowsInPlace(out, start, width, value);
  return out;
}

/** Sets bins (columns) [start, start+width) of every frame to `value`; the range is clipped to the matrix. */
export function freqMask(m: Matrix, start: number, width: number, value: number): Matrix {
  const out = { data: m.data.slice(), rows: m.rows, cols: m.cols };
  fillColsInPlace(out, start, width, value);
  return out;
}

export function fillRowsInPlace(m: Matrix, start: number, width: number, value: number): void {
  const lo = Math.max(0, start);
  const hi = Math.min(m.rows, start + width);
  if (hi > lo) m.data.fill(value, lo * m.cols, hi * m.cols);
}

export function fillColsInPlace(m: Matrix, start: number, width: number, value: number): void {
  const lo = Math.max(0, start);
  const hi = Math.min(m.cols, start + width);
  if (hi <= lo) return;
  for (let r = 0; r < m.rows; r++) m.data.fill(value, r * m.cols + lo, r * m.cols + hi);
}

/** λ·a + (1−λ)·b, element-wise (mixup). */
export function mixArrays(a: Float32Array, b: Float32Array, lambda: number): Float32Array {
  if (a.length !== b.length) throw new RangeError(`mixup: arrays differ in length (${a.length} vs ${b.length})`);
  const out = new Float32Array(a.length);
  const mu = 1 - lambda;
  for (let i = 0; i < a.length; i++) out[i] = lambda * a[i] + mu * b[i];
  return out;
}
