/** sklearn's classification_report as text: per-class precision/recall/F1/support and averages. */
import { z } from 'zod';
import { parseOptions } from './validate.ts';

const ReportOptionsSchema = z.object({
  targetNames: z.array(z.string()).optional(),
  digits: z.number().int('must be an integer').min(0, 'must be in [0, 10]').max(10, 'must be in [0, 10]').default(2),
});
export type ClassificationReportOptions = z.input<typeof ReportOptionsSchema>;

export interface ClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationTable {
  classes: ClassRow[];
  accuracy: number;
  macro: ClassRow;
  weighted: ClassRow;
  total: number;
}

/** Python's `format(x, '.Nf')`: like toFixed, but exact halves round to even. */
export function pythonFixed(x: number, digits: number): string {
  const scaled = x * 10 ** digits;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && Number.isFinite(scaled)) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / 10 ** digits).toFixed(digits);
  }
  return x.toFixed(digits);
}

/** Per-class numbers (labels are the sorted union of true and predicted values); zero_division = 0. */
export function classificationTable(labels: ArrayLike<number>, predictions: ArrayLike<number>, targetNames?: string[]): ClassificationTable {
  if (labels.length !== predictions.length || labels.length === 0) {
    throw new Error(
      `capuchin: classificationReport: labels has ${labels.length} entries and predictions ${predictions.length}. Fix: pass one prediction per clip (at least one).`,
    );
  }
  const classes = [...new Set([...Array.from(labels), ...Array.from(predictions)])].sort((a, b) => a - b);
  if (targetNames && targetNames.length !== classes.length) {
    throw new Error(
      `capuchin: classificationReport: targetNames has ${targetNames.length} names but there are ${classes.length} classes (${classes.join(', ')}). Fix: one name per class.`,
    );
  }
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) if (labels[i] === predictions[i]) correct++;
  const rows = classes.map((c, k): ClassRow => {
    let tp = 0;
    let predicted = 0;
    let support = 0;
    for (let i = 0; i < n; i++) {
      if (predictions[i] === c) predicted++;
      if (labels[i] === c) support++;
      if (predictions[i] === c && labels[i] === c) tp++;
    }
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = support === 0 ? 0 : tp / support;
    return { name: targetNames ? targetNames[k] : String(c), precision: p, recall: r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), support };
  });
  const mean = (f: (r: ClassRow) => number, w: (r: ClassRow) => number) =>
    rows.reduce((s, r) => s + f(r) * w(r), 0) / rows.reduce((s, r) => s + w(r), 0);
  const avg = (name: string, w: (r: ClassRow) => number): ClassRow => ({
    name,
    precision: mean((r) => r.precision, w),
    recall: mean((r) => r.recall, w),
    f1: mean((r) => r.f1, w),
    support: n,
  });
  return { classes: rows, accuracy: correct / n, macro: avg('macro avg', () => 1), weighted: avg('weighted avg', (r) => r.support), total: n };
}

/**
 * The text of sklearn.metrics.classification_report(labels, predictions, target_names, digits),
 * character for character (sklearn's column widths, Python's round-half-even).
 */
export function classificationReport(labels: ArrayLike<number>, predictions: ArrayLike<number>, options?: ClassificationReportOptions): string {
  const { targetNames, digits } = parseOptions(ReportOptionsSchema, options, 'classificationReport');
  const t = classificationTable(labels, predictions, targetNames);
  const width = Math.max(...t.classes.map((r) => r.name.length), 'weighted avg'.length, digits);
  const col = (s: string) => ' ' + s.padStart(9);
  const num = (x: number) => col(pythonFixed(x, digits));
  const row = (r: ClassRow) => r.name.padStart(width) + ' ' + num(r.precision) + num(r.recall) + num(r.f1) + col(String(r.support)) + '\n';
  let out = ''.padStart(width) + ' ' + ['precision', 'recall', 'f1-score', 'support'].map(col).join('') + '\n\n';
  for (const r of t.classes) out += row(r);
  out += '\n';
  out += 'accuracy'.padStart(width) + ' ' + col('') + col('') + num(t.accuracy) + col(String(t.total)) + '\n';
  out += row(t.macro) + row(t.weighted);
  return out;
}
