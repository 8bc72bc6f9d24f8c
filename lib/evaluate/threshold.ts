/** Choosing a decision threshold on validation data. */
import { z } from 'zod';
import { binaryCounts } from './curve.ts';
import { parseOptions, requireBothClasses, type Labels, type Scores } from './validate.ts';

export const THRESHOLD_METRICS = ['f1', 'accuracy', 'youden'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

const ThresholdOptionsSchema = z.object({
  metric: z.enum(THRESHOLD_METRICS, { message: `must be one of ${THRESHOLD_METRICS.join(', ')}` }).default('f1'),
});
export type ThresholdOptions = z.input<typeof ThresholdOptionsSchema>;

export interface ThresholdChoice {
  /** The threshold to use: call a clip positive iff score >= threshold. */
  threshold: number;
  metric: ThresholdMetric;
  /** The metric's value on the data it was chosen on (optimistic: report test metrics elsewhere). */
  value: number;
  /** Every threshold in (lower, upper] gives this same best value on this data. */
  lower: number;
  upper: number;
}

function metricAt(metric: ThresholdMetric, tp: number, fp: number, pos: number, neg: number): number {
  const fn = pos - tp;
  const tn = neg - fp;
  if (metric === 'f1') return (2 * tp) / (2 * tp + fp + fn);
  if (metric === 'accuracy') return (tp + tn) / (pos + neg);
  return tp / pos - fp / neg; // Youden's J = TPR − FPR
}

/**
 * The threshold that maximises `metric` (default F1) on the given data — pass VALIDATION data only
 * (out-of-fold or a held-out split), never the data you report test metrics on.
 *
 * Candidates are the distinct scores s_0 > s_1 > …; cutting at s_k ("score >= s_k is positive") gives the
 * same predictions for any threshold in (s_{k+1}, s_k]. Ties: the best value (within 1e-12) may be reached
 * by several neighbouring cuts; the first run of such cuts (highest thresholds) spans (s_{j+1}, s_i], and the
 * threshold returned is its MIDPOINT (s_i + s_{j+1}) / 2, so validation clips sit as far from it as possible.
 * When the run reaches the lowest score (everything positive), the lowest score is used as the lower end.
 * "Nothing positive" is not a candidate.
 */
export function chooseThresholdDetailed(labels: Labels, scores: Scores, options?: ThresholdOptions): ThresholdChoice {
  const { metric } = parseOptions(ThresholdOptionsSchema, options, 'chooseThreshold');
  const b = binaryCounts(labels, scores, 'chooseThreshold');
  requireBothClasses(labels, 'chooseThreshold');
  const values = b.thresholds.map((_, k) => metricAt(metric, b.tps[k], b.fps[k], b.pos, b.neg));
  const best = Math.max(...values);
  const first = values.findIndex((v) => v >= best - 1e-12);
  let last = first;
  while (last + 1 < values.length && values[last + 1] >= best - 1e-12) last++;
  const upper = b.thresholds[first];
  const hasLower = last + 1 < b.thresholds.length;
  const lowerEnd = hasLower ? b.thresholds[last + 1] : b.thresholds[last];
  let threshold = (upper + lowerEnd) / 2;
  // Adjacent doubles can round the midpoint onto the open lower end; the upper end is always valid.
  if (!(threshold > lowerEnd) || threshold > upper) threshold = upper;
  return { threshold, metric, value: values[first], lower: hasLower ? lowerEnd : -Infinity, upper };
}

/** The threshold that maximises `metric` on validation data; see chooseThresholdDetailed for the tie rule. */
export function chooseThreshold(labels: Labels, scores: Scores, options?: ThresholdOptions): number {
  return chooseThresholdDetailed(labels, scores, options).threshold;
}
