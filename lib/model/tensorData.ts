/**
 * A labelled set of feature matrices laid out for tfjs: x is [n, frames, bins] row-major.
 */
export interface LabelledSet {
  readonly x: Float32Array;
  /** Labels in [0, 1] (soft labels allowed, e.g. after mixup). */
  readonly y: Float32Array;
  readonly n: number;
  readonly frames: number;
  readonly bins: number;
}

/** Stack feature matrices (each frames × bins) into one LabelledSet, taking rows `indices`. */
export function stackSet(
  features: readonly { data: Float32Array; rows: number; cols: number }[],
  labels: ArrayLike<number>,
  indices: readonly number[],
): LabelledSet {
  if (indices.length === 0) throw new Error('stackSet: no examples selected');
  const { rows: frames, cols: bins } = features[indices[0]];
  const size = frames * bins;
  const x = new Float32Array(indices.length * size);
  const y = new Float32Array(indices.length);
  indices.forEach((idx, i) => {
    const m = features[idx];
    if (m.rows !== frames || m.cols !== bins) {
      throw new Error(`stackSet: example ${idx} is ${m.rows}×${m.cols}, expected ${frames}×${bins}`);
    }
    x.set(m.data, i * size);
    y[i] = labels[idx];
  });
  return { x, y, n: indices.length, frames, bins };
}

/** Balanced class weights n / (2 · n_c) for hard labels. */
export function balancedClassWeights(y: ArrayLike<number>): { 0: number; 1: number } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] >= 0.5 ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return { 0: 1, 1: 1 };
  return { 0: y.length / (2 * neg), 1: y.length / (2 * pos) };
}

/** Mean binary cross-entropy and accuracy (threshold 0.5) of scores against labels. */
export function lossAndAccuracy(y: ArrayLike<number>, p: ArrayLike<number>): { loss: number; acc: number } {
  const eps = 1e-7;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    loss -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
    correct += (p[i] >= 0.5 ? 1 : 0) === (y[i] >= 0.5 ? 1 : 0) ? 1 : 0;
  }
  return { loss: loss / y.length, acc: correct / y.length };
}
