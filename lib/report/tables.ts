/** CSV tables of an experiment: out-of-fold predictions and the sweep comparison (csv-stringify). */
import { stringify } from 'csv-stringify/sync';
import { SUMMARY_METRICS } from '../evaluate/summarize.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import type { ExperimentResult, OofPrediction } from './types.ts';

export const OOF_COLUMNS = ['file', 'group', 'fold', 'label', 'score', 'pred'] as const;

/** oof_predictions.csv text: one row per clip, `pred` = score >= threshold (RFC 4180 quoting by csv-stringify). */
export async function oofPredictionsCsv(oof: OofPrediction[], threshold: number): Promise<string> {
  const rows = [...oof].sort((a, b) => a.fold - b.fold || a.file.localeCompare(b.file));
  return stringify(
    rows.map((p) => [p.file, p.group, p.fold, p.label, p.score, p.score >= threshold ? 1 : 0]),
    { header: true, columns: [...OOF_COLUMNS] },
  );
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
