/** ROC curve and its area. */
import { binaryCounts } from './curve.ts';
import { checkBinary, requireBothClasses, type Labels, type Scores } from './validate.ts';

export interface RocCurve {
  /** False-positive rate per threshold, starting at 0. */
  fpr: number[];
  /** True-positive rate per threshold, starting at 0. */
  tpr: number[];
  /** Descending; the first is +Infinity (nothing called positive), then each distinct score. */
  thresholds: number[];
}

/**
 * The ROC curve with one point per distinct score (sklearn's roc_curve with drop_intermediate=false).
 * Tied scores form one point, so ties draw a diagonal segment.
 */
export function rocCurve(labels: Labels, scores: Scores): RocCurve {
  checkBinary(labels, scores, 'rocCurve');
  const { pos, neg } = requireBothClasses(labels, 'rocCurve');
  const b = binaryCounts(labels, scores, 'rocCurve');
  return {
    fpr: [0, ...b.fps.map((fp) => fp / neg)],
    tpr: [0, ...b.tps.map((tp) => tp / pos)],
    thresholds: [Infinity, ...b.thresholds],
  };
}

/**
 * Area under the ROC curve as the Mann–Whitney U statistic: the probability that a random positive
 * scores above a random negative, ties counting one half. Uses average ranks, so ties are exact;
 * equals the trapezoidal area under `rocCurve` and sklearn's roc_auc_score.
 */
export function rocAuc(labels: Labels, scores: Scores): number {
  checkBinary(labels, scores, 'rocAuc');
  const { pos, neg } = requireBothClasses(labels, 'rocAuc');
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 .. end, 1-based
    for (let k = start; k < end; k++) if (labels[order[k]] === 1) rankSumPos += averageRank;
    start = end;
  }
  const u = rankSumPos - (pos * (pos + 1)) / 2;
  return u / (pos * neg);
}
