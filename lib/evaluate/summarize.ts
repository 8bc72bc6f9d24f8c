/** All headline metrics of a binary classifier in one plain object. */
import { bootstrapMany, type BootstrapOptions, type MetricFn } from './bootstrap.ts';
import { accuracy, confusion, f1, precision, recall, type Confusion } from './confusion.ts';
import { prAuc } from './pr.ts';
import { rocAuc } from './roc.ts';
import { checkBinary, classCounts, type Labels, type Scores } from './validate.ts';

export const SUMMARY_METRICS = ['roc_auc', 'pr_auc', 'f1', 'precision', 'recall', 'accuracy'] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export interface ConfidenceInterval {
  lo: number;
  hi: number;
}

export interface Summary {
  /** NaN when only one class is present. */
  roc_auc: number;
  /** Average precision; NaN when only one class is present. */
  pr_auc: number;
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  /** score >= threshold is called positive. */
  threshold: number;
  n: number;
  n_pos: number;
  n_neg: number;
  confusion: Confusion;
  /** Percentile bootstrap intervals (1 − alpha), or null when no bootstrap was asked for. */
  ci: (Record<SummaryMetric, ConfidenceInterval> & { level: number; n: number; seed: number; stratified: boolean; resampled: 'examples' | 'groups' }) | null;
}

export interface SummarizeOptions {
  /** Bootstrap CIs (true = defaults); threshold-based metrics keep the given threshold in every resample. */
  bootstrap?: BootstrapOptions | boolean;
}

function orNaN(fn: () => number): number {
  try {
    return fn();
  } catch {
    return NaN;
  }
}

function metricFns(threshold: number): Record<SummaryMetric, MetricFn> {
  const at = (m: (c: Confusion) => number): MetricFn => (l, s) => m(confusion(l, s, threshold));
  return { roc_auc: rocAuc, pr_auc: prAuc, f1: at(f1), precision: at(precision), recall: at(recall), accuracy: at(accuracy) };
}

/**
 * ROC AUC, average precision, and F1/precision/recall/accuracy at `threshold` (choose it on validation
 * data with chooseThreshold), with optional bootstrap CIs (default 1000 stratified resamples, seed 0, 95%).
 */
export function summarize(labels: Labels, scores: Scores, threshold: number, options: SummarizeOptions = {}): Summary {
  checkBinary(labels, scores, 'summarize');
  const c = confusion(labels, scores, threshold);
  const { pos, neg } = classCounts(labels);
  const summary: Summary = {
    roc_auc: orNaN(() => rocAuc(labels, scores)),
    pr_auc: orNaN(() => prAuc(labels, scores)),
    f1: f1(c),
    precision: precision(c),
    recall: recall(c),
    accuracy: accuracy(c),
    threshold,
    n: labels.length,
    n_pos: pos,
    n_neg: neg,
    confusion: c,
    ci: null,
  };
  if (options.bootstrap === undefined || options.bootstrap === false) return summary;
  const fns = metricFns(threshold);
  if (pos === 0 || neg === 0) {
    delete (fns as Partial<typeof fns>).roc_auc;
    delete (fns as Partial<typeof fns>).pr_auc;
  }
  const b: BootstrapOptions = options.bootstrap === true ? {} : options.bootstrap;
  const intervals = bootstrapMany(labels, scores, fns, b);
  const ci = {} as Record<SummaryMetric, ConfidenceInterval>;
  for (const k of SUMMARY_METRICS) ci[k] = intervals[k] ? { lo: intervals[k].lo, hi: intervals[k].hi } : { lo: NaN, hi: NaN };
  summary.ci = { ...ci, level: 1 - (b.alpha ?? 0.05), n: b.n ?? 1000, seed: b.seed ?? 0, stratified: b.stratified ?? true, resampled: b.groups ? 'groups' : 'examples' };
  return summary;
}
