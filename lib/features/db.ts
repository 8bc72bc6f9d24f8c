/**
 * power_to_db with the reference at the matrix's own maximum (librosa's `ref=np.max`):
 *   dB = 10·log10(max(amin, S)) − 10·log10(max(amin, max(S))), then floored at max(dB) − topDb.
 * Since the reference is the maximum, max(dB) is 0 and the floor is −topDb.
 */
import { createMatrix, type Matrix } from './matrix.ts';

export interface PowerToDbOptions {
  amin: number;
  /** dB below the maximum at which values are floored; null for no floor */
  topDb: number | null;
}

const DB_PER_NEPER = 10 / Math.LN10;

export function maxValue(data: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return max;
}

/** A new matrix of dB values relative to power's maximum. */
export function powerToDb(power: Matrix, opts: PowerToDbOptions): Matrix {
  const { amin, topDb } = opts;
  if (!(amin > 0)) throw new RangeError(`powerToDb: amin must be > 0, got ${amin}`);
  const out = createMatrix(power.rows, power.cols);
  const src = power.data;
  const dst = out.data;
  // 10·log10(v) computed as (10/ln 10)·ln(v): Math.log is about twice as fast as Math.log10 in V8
  const ref = DB_PER_NEPER * Math.log(Math.max(amin, maxValue(src)));
  let top = -Infinity;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    const db = DB_PER_NEPER * Math.log(v > amin ? v : amin) - ref;
    dst[i] = db;
    if (db > top) top = db;
  }
  if (topDb !== null) {
    const floor = top - topDb;
    for (let i = 0; i < dst.length; i++) if (dst[i] < floor) dst[i] = floor;
  }
  return out;
}
