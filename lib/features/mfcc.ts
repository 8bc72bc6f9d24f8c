/**
 * MFCC = the orthonormal DCT-II of the log-mel dB values over the mel axis, first `count` coefficients
 * (scipy.fft.dct(x, type=2, norm='ortho')[..., :count]):
 *   c[j] = s_j · Σ_m x[m] · cos(π·j·(2m + 1) / (2M)),  s_0 = √(1/M), s_j = √(2/M).
 */
import { createMatrix, type Matrix } from './matrix.ts';

/** The [count, inputs] orthonormal DCT-II basis, row j = coefficient j. */
export function dctOrthoBasis(inputs: number, count: number): Float64Array {
  if (!Number.isInteger(count) || count < 1 || count > inputs) throw new RangeError(`dctOrthoBasis: count must be in [1, ${inputs}], got ${count}`);
  const basis = new Float64Array(count * inputs);
  for (let j = 0; j < count; j++) {
    const scale = Math.sqrt((j === 0 ? 1 : 2) / inputs);
    for (let m = 0; m < inputs; m++) basis[j * inputs + m] = scale * Math.cos((Math.PI * j * (2 * m + 1)) / (2 * inputs));
  }
  return basis;
}

/** Applies one precomputed DCT basis to every row. */
export class Dct {
  readonly inputs: number;
  readonly count: number;
  private readonly basis: Float64Array;

  constructor(inputs: number, count: number) {
    this.inputs = inputs;
    this.count = count;
    this.basis = dctOrthoBasis(inputs, count);
  }

  /** [frames, inputs] → [frames, count]. */
  apply(x: Matrix): Matrix {
    if (x.cols !== this.inputs) throw new RangeError(`Dct: input has ${x.cols} columns, expected ${this.inputs}`);
    const { inputs, count, basis } = this;
    const out = createMatrix(x.rows, count);
    for (let r = 0; r < x.rows; r++) {
      const at = r * inputs;
      for (let j = 0; j < count; j++) {
        let sum = 0;
        const b = j * inputs;
        for (let m = 0; m < inputs; m++) sum += x.data[at + m] * basis[b + m];
        out.data[r * count + j] = sum;
      }
    }
    return out;
  }
}
