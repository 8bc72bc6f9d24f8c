/** Precision–recall curve and average precision. */
import { binaryCounts } from './curve.ts';
import { checkBinary, requireBothClasses, type Labels, type Scores } from './validate.ts';

export interface PrCurve {
  precision: number[];
  recall: number[];
  /** Descending; the first is +Infinity (the conventional point recall 0, precision 1), then each distinct score. */
  thresholds: number[];
}

/**
 * Precision and recall at every distinct score, thresholds descending (sklearn's precision_recall_curve
 * reversed, with its extra (recall 0, precision 1) point first).
 */
export function prCurve(labels: Labels, scores: Scores): PrCurve {
  checkBinary(labels, scores, 'prCurve');
  const { pos } = requireBothClasses(labels, 'prCurve');
  const b = binaryCounts(labels, scores, 'prCurve');
  return {
    precision: [1, ...b.tps.map((tp, k) => tp / (tp + b.fps[k]))],
    recall: [0, ...b.tps.map((tp) => tp / pos)],
    thresholds: [Infinity, ...b.thresholds],
  };
}

/**
 * Average precision, sklearn's definition: AP = Σ_k (R_k − R_{k−1}) · P_k over distinct thresholds,
 * a step-function area with no interpolation (not the trapezoidal area, which is optimistic).
 */
export function prAuc(labels: Labels, scores: Scores): number {
  checkBinary(labels, scores, 'prAuc');
  const { pos } = requireBothClasses(labels, 'prAuc');
  const b = binaryCounts(labels, scores, 'prAuc');
  let ap = 0;
  let previousRecall = 0;
  for (let k = 0; k < b.thresholds.length; k++) {
    const r = b.tps[k] / pos;
    ap += (r - previousRecall) * (b.tps[k] / (b.tps[k] + b.fps[k]));
    previousRecall = r;
  }
  return ap;
}
