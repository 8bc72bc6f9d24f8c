/**
 * power_to_db with the reference at the matrix's own maximum (librosa's `ref=np.max`):
 *   dB = 10·log10(max(amin, S)) − 10·log10(max(amin, max(S))), then floored at max(dB) − topDb.
 * Since the reference is the maximum, max(dB) is 0 and the floor is −topDb.
 */
import { lnFloat32Bits } from './ln.ts';
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
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const dst = out.data;
  // 10·log10(v) computed as (10/ln 10)·ln(v), ln from the float32 bits (ln.ts): Math.log10 is slower still
  const ref = DB_PER_NEPER * Math.log(Math.max(amin, maxValue(src)));
  const aminDb = DB_PER_NEPER * Math.log(amin) - ref;
  if (topDb === null) {
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      dst[i] = v > amin ? DB_PER_NEPER * lnFloat32Bits(bits[i], v) - ref : aminDb;
    }
    return out;
  }
  // The largest dB value is the maximum's, 0, so the floor is −topDb: clamped in the same pass, as
  // max(db, floor) = (db + floor + |db − floor|) / 2 (exact to ~1e-14; a branch here mispredicts on real
  // spectra and cost twice the time of the log).
  const floor = -topDb;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    const db = v > amin ? DB_PER_NEPER * lnFloat32Bits(bits[i], v) - ref : aminDb;
    dst[i] = 0.5 * (db + floor + Math.abs(db - floor));
  }
  return out;
}
