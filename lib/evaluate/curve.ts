/**
 * The cumulative counts behind ROC and PR curves (sklearn's `_binary_clf_curve`):
 * one point per distinct score, thresholds in descending order, "positive" meaning score >= threshold.
 */
import { checkBinary, type Labels, type Scores } from './validate.ts';

export interface BinaryCounts {
  /** Distinct scores, descending. */
  thresholds: number[];
  /** Positives with score >= thresholds[k]. */
  tps: number[];
  /** Negatives with score >= thresholds[k]. */
  fps: number[];
  pos: number;
  neg: number;
}

export function binaryCounts(labels: Labels, scores: Scores, where = 'binaryCounts'): BinaryCounts {
  checkBinary(labels, scores, where);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      thresholds.push(scores[i]);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds, tps, fps, pos: tp, neg: fp };
}
