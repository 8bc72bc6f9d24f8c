/** CSV tables: out-of-fold predictions (danfojs-node DataFrame) and the sweep comparison (csv-stringify). */
import { stringify } from 'csv-stringify/sync';
import { SUMMARY_METRICS } from '../evaluate/summarize.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import type { ExperimentResult, OofPrediction } from './types.ts';

export const OOF_COLUMNS = ['file', 'group', 'fold', 'label', 'score', 'pred'] as const;

/**
 * RFC 4180 quoting for one field. danfojs-node's toCSV joins values with the separator and never
 * quotes, so a file name with a comma or quote would break the row; fields are quoted before they go in.
 */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** oof_predictions.csv text: one row per clip, `pred` = score >= threshold. Loads danfojs-node lazily. */
export async function oofPredictionsCsv(oof: OofPrediction[], threshold: number): Promise<string> {
  const rows = [...oof].sort((a, b) => a.fold - b.fold || a.file.localeCompare(b.file));
  if (rows.length === 0) return `${OOF_COLUMNS.join(',')}\n`;
  const dfd = await import('danfojs-node');
  const frame = new dfd.DataFrame(
    {
      file: rows.map((p) => quoteCsvField(p.file)),
      group: rows.map((p) => quoteCsvField(p.group)),
      fold: rows.map((p) => p.fold),
      label: rows.map((p) => p.label),
      score: rows.map((p) => p.score),
      pred: rows.map((p) => (p.score >= threshold ? 1 : 0)),
    },
    { columns: [...OOF_COLUMNS] },
  );
  return dfd.toCSV(frame, { sep: ',', header: true }) as string;
}

export async function writeOofPredictionsCsv(path: string, oof: OofPrediction[], threshold: number): Promise<void> {
  writeFileAtomic(path, await oofPredictionsCsv(oof, threshold));
}

/** One row per experiment of a sweep: metrics with CIs, threshold, size, training time, parameters. */
export function compareRows(results: ExperimentResult[]): Record<string, string | number>[] {
  return results.map((r) => {
    const row: Record<string, string | number> = {
      experiment: r.experiment,
      model: r.model.name,
      params: r.model.params,
      feature: JSON.stringify(r.feature),
      folds: r.folds,
      n_clips: r.nClips,
      n_groups: r.nGroups,
    };
    for (const k of SUMMARY_METRICS) {
      row[k] = r.metrics[k];
      row[`${k}_lo`] = r.metrics.ci?.[k].lo ?? NaN;
      row[`${k}_hi`] = r.metrics.ci?.[k].hi ?? NaN;
    }
    row.threshold = r.threshold;
    const c = r.counting;
    // the detector's cross-validated score over the field recordings' out-of-fold tracks (decisions are made on it)
    row.field_cv_f1 = c?.tuning?.cv.f1 ?? NaN;
    row.field_cv_mae = c?.tuning?.cv.mae ?? NaN;
    row.field_cv_exact = c?.tuning?.cv.exactRate ?? NaN;
    // the final model with that detector on the held-out recordings (reported, never used to decide)
    row.holdout_mae = c?.holdout?.mae ?? NaN;
    row.holdout_exact = c?.holdout?.exactRate ?? NaN;
    row.holdout_f1 = c?.holdout?.events?.f1 ?? NaN;
    row.holdout_precision = c?.holdout?.events?.precision ?? NaN;
    row.holdout_recall = c?.holdout?.events?.recall ?? NaN;
    row.train_seconds = r.trainSeconds;
    row.backend = JSON.stringify(r.backend);
    return row;
  });
}

/** compare.csv text (NaN written as an empty field). */
export function compareCsv(results: ExperimentResult[]): string {
  const rows = compareRows(results);
  const columns = rows.length > 0 ? Object.keys(rows[0]) : ['experiment'];
  return stringify(rows, {
    header: true,
    columns,
    cast: { number: (v) => (Number.isFinite(v) ? String(v) : '') },
  });
}

export function writeCompareCsv(path: string, results: ExperimentResult[]): void {
  writeFileAtomic(path, compareCsv(results));
}
