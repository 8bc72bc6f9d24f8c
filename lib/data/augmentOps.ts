/**
 * Pure augmentation operations on frames (mel power or |STFT|) and finished feature matrices.
 * Each returns a new matrix and never mutates its input, except the *InPlace ones. The random
 * choices live in augment.ts; these take explicit amounts, so they are testable.
 */
import type { Matrix } from '../features/matrix.ts';
import type { MaskFill } from './augmentConfig.ts';

/**
 * The `rows` frames of a window placed `shift` frames later on the clip's frames `src` (negative:
 * earlier): out[r] = src[r − shift]. Frames outside the clip wrap round ('circular', modulo the
 * clip's rows) or are silence ('zero').
 */
export function shiftedWindow(src: Matrix, shift: number, rows: number, mode: 'circular' | 'zero'): Matrix {
  if (!Number.isInteger(shift)) throw new RangeError(`shiftedWindow: shift must be a whole number of frames, got ${shift}`);
  const { cols } = src;
  const out: Matrix = { data: new Float32Array(rows * cols), rows, cols };
  if (src.rows === 0) return out;
  for (let r = 0; r < rows; r++) {
    let from = r - shift;
    if (mode === 'circular') from = ((from % src.rows) + src.rows) % src.rows;
    else if (from < 0 || from >= src.rows) continue;
    out.data.set(src.data.subarray(from * cols, (from + 1) * cols), r * cols);
  }
  return out;
}

/** Mean power of frames holding power (mel) or magnitudes (|STFT|, squared first). */
export function meanFramePower(m: Matrix, magnitude: boolean): number {
  let sum = 0;
  const d = m.data;
  for (let i = 0; i < d.length; i++) sum += magnitude ? d[i] * d[i] : d[i];
  return d.length > 0 ? sum / d.length : 0;
}

/** Frames scaled by a gain in dB (power × 10^(dB/10), magnitude × 10^(dB/20)), in place. */
export function applyGainInPlace(m: Matrix, db: number, magnitude: boolean): void {
  const g = Math.pow(10, db / (magnitude ? 20 : 10));
  for (let i = 0; i < m.data.length; i++) m.data[i] *= g;
}

/**
 * signal + c·noise in the power domain (magnitudes combine as √(a² + c²b²)), with c chosen so that
 * meanPower(signal) / meanPower(c·noise) = 10^(snrDb/10) over the window: the frame-domain twin of
 * mixing two independent waveforms. Both must have the same shape. A silent signal or silent noise
 * has no defined SNR: the signal comes back unchanged (as a copy). Returns c² (the power scale).
 */
export function mixFramesAtSnr(signal: Matrix, noise: Matrix, snrDb: number, magnitude: boolean): { mixed: Matrix; noiseScale: number } {
  if (signal.rows !== noise.rows || signal.cols !== noise.cols) {
    throw new RangeError(`mixFramesAtSnr: shapes differ (${signal.rows}×${signal.cols} vs ${noise.rows}×${noise.cols})`);
  }
  const out: Matrix = { data: signal.data.slice(), rows: signal.rows, cols: signal.cols };
  const ps = meanFramePower(signal, magnitude);
  const pn = meanFramePower(noise, magnitude);
  if (ps === 0 || pn === 0) return { mixed: out, noiseScale: 0 };
  const c2 = ps / (pn * Math.pow(10, snrDb / 10));
  const a = out.data;
  const b = noise.data;
  if (magnitude) for (let i = 0; i < a.length; i++) a[i] = Math.sqrt(a[i] * a[i] + c2 * b[i] * b[i]);
  else for (let i = 0; i < a.length; i++) a[i] += c2 * b[i];
  return { mixed: out, noiseScale: c2 };
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
