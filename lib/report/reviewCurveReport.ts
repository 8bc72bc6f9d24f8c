/**
 * The review curve's outputs (`npm run review-curve`, lib/pipeline/reviewCurve.ts): review_curve.csv, one
 * row per batch of reviewed recordings, and compare.html, MAE and event F1 on the held-out recordings
 * against the recordings reviewed, with the target MAE as a line.
 */
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { escapeHtml, formatNumber, htmlReport, type PlotlyFigure, type TableCell } from './plotlyHtml.ts';

export const REVIEW_CURVE_CSV = 'review_curve.csv';
export const REVIEW_CURVE_HTML = 'compare.html';
export const REVIEW_CURVE_COLUMNS = ['batch', 'reviewed_recordings', 'recordings', 'calls', 'hard_negatives', 'mae', 'exact', 'event_precision', 'event_recall', 'event_f1', 'train_seconds'] as const;
/** The target: MAE ≤ 0.1 on the held-out recordings after 10 reviewed recordings or fewer. */
export const REVIEW_CURVE_TARGET = { mae: 0.1, reviewedAtMost: 10 } as const;

export interface ReviewCurveRow {
  /** 1-based position in the curve. */
  batch: number;
  /** How many field recordings the simulated reviewer reviewed (its first N in the seeded order). */
  reviewedRecordings: number;
  recordings: string[];
  /** Calls in the reviewed recordings (positives: accepted and added). */
  calls: number;
  /** Rejected detections (hard negatives). */
  hardNegatives: number;
  /** On the held-out recordings; null when none was scored. */
  mae: number | null;
  /** Fraction of held-out recordings counted exactly. */
  exact: number | null;
  eventPrecision: number | null;
  eventRecall: number | null;
  eventF1: number | null;
  /** Wall-clock seconds of training (folds and final model). */
  trainSeconds: number;
  /** The batch's experiment folder, relative to the curve's folder (for links). */
  experimentDir?: string;
}

export interface ReviewCurveMeta {
  config: string;
  seed: number;
  /** The held-out recordings counted and scored. */
  holdout: string[];
  /** The seeded review order of the field recordings. */
  order: string[];
  dataDir?: string;
}

const num = (x: number | null, digits: number) => (x === null ? '' : Number(x.toFixed(digits)));

export function reviewCurveCsv(rows: readonly ReviewCurveRow[]): string {
  return stringify(
    rows.map((r) => [r.batch, r.reviewedRecordings, r.recordings.join(';'), r.calls, r.hardNegatives, num(r.mae, 4), num(r.exact, 4), num(r.eventPrecision, 4), num(r.eventRecall, 4), num(r.eventF1, 4), num(r.trainSeconds, 1)]),
    { header: true, columns: [...REVIEW_CURVE_COLUMNS] },
  );
}

/** The first row that meets the target with at most `reviewedAtMost` reviewed recordings, or null. */
export function targetMet(rows: readonly ReviewCurveRow[]): ReviewCurveRow | null {
  return rows.find((r) => r.reviewedRecordings <= REVIEW_CURVE_TARGET.reviewedAtMost && r.mae !== null && r.mae <= REVIEW_CURVE_TARGET.mae + 1e-12) ?? null;
}

/** MAE (left axis) and event F1 (right axis) against recordings reviewed, with the target MAE dashed. */
export function reviewCurveFigure(rows: readonly ReviewCurveRow[], holdoutLabel: string): PlotlyFigure {
  const sorted = [...rows].sort((a, b) => a.reviewedRecordings - b.reviewedRecordings);
  const x = sorted.map((r) => r.reviewedRecordings);
  const xs = x.length ? [Math.min(...x), Math.max(...x)] : [0, 1];
  return {
    data: [
      { type: 'scatter', mode: 'lines+markers', name: `MAE on ${holdoutLabel}`, x, y: sorted.map((r) => r.mae), marker: { size: 9, color: '#d62728' }, hovertemplate: '%{x} reviewed<br>MAE %{y:.3f}<extra></extra>' },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `event F1 on ${holdoutLabel}`,
        x,
        y: sorted.map((r) => r.eventF1),
        yaxis: 'y2',
        marker: { size: 9, color: '#1f77b4' },
        hovertemplate: '%{x} reviewed<br>event F1 %{y:.3f}<extra></extra>',
      },
      { type: 'scatter', mode: 'lines', name: `target MAE ${REVIEW_CURVE_TARGET.mae}`, x: xs, y: [REVIEW_CURVE_TARGET.mae, REVIEW_CURVE_TARGET.mae], line: { dash: 'dash', color: '#888' }, hoverinfo: 'skip' },
    ],
    layout: {
      title: { text: `Counting ${holdoutLabel} after retraining on reviewed recordings` },
      xaxis: { title: { text: 'Field recordings reviewed' }, tickvals: x },
      yaxis: { title: { text: 'MAE (calls per recording)' }, rangemode: 'tozero', color: '#d62728' },
      yaxis2: { title: { text: 'event F1' }, overlaying: 'y', side: 'right', range: [0, 1.05], color: '#1f77b4' },
      legend: { orientation: 'h', y: -0.2 },
      height: 460,
      font: { family: 'DejaVu Sans, sans-serif' },
    },
  };
}

export function reviewCurveHtml(rows: readonly ReviewCurveRow[], meta: ReviewCurveMeta): string {
  const holdoutLabel = meta.holdout.length ? `the ${meta.holdout.length} held-out recordings` : 'the held-out recordings';
  const met = targetMet(rows);
  const f = (x: number | null, d: number) => (x === null ? '–' : formatNumber(x, d));
  const tableRows: TableCell[][] = rows.map((r) => [
    r.batch,
    r.reviewedRecordings,
    r.calls,
    r.hardNegatives,
    f(r.mae, 3),
    f(r.exact, 2),
    f(r.eventPrecision, 3),
    f(r.eventRecall, 3),
    f(r.eventF1, 3),
    formatNumber(r.trainSeconds, 0),
    r.experimentDir ? { html: `<a href="${escapeHtml(r.experimentDir)}/report.html">report</a>` } : null,
    r.recordings.join(' '),
  ]);
  const target =
    `Target: MAE ≤ ${REVIEW_CURVE_TARGET.mae} on ${holdoutLabel} after ${REVIEW_CURVE_TARGET.reviewedAtMost} reviewed recordings or fewer: ` +
    (met ? `met with ${met.reviewedRecordings} reviewed (MAE ${formatNumber(met.mae!, 3)}).` : 'not met.');
  return htmlReport({
    title: 'Review curve: retraining from reviewed recordings',
    subtitle:
      `A simulated reviewer reviews the field recordings in a seeded order (seed ${meta.seed}), the first N each time: ` +
      "the base model's detections that match a labelled call are accepted, the others rejected (hard negatives), missed calls added. " +
      `Each batch retrains '${meta.config}' on those reviewed recordings (detector tuned on them only) and counts ${holdoutLabel}, which nothing trains or tunes on.`,
    sections: [
      { heading: 'MAE and event F1 against recordings reviewed', html: `<p>${escapeHtml(target)}</p>`, figures: [reviewCurveFigure(rows, holdoutLabel)] },
      {
        heading: 'Batches',
        table: {
          columns: ['batch', 'reviewed', 'calls', 'hard negatives', 'MAE', 'exact', 'event precision', 'event recall', 'event F1', 'train s', 'experiment', 'recordings reviewed'],
          rows: tableRows,
        },
      },
      {
        heading: 'Inputs',
        html: `<pre>${escapeHtml(JSON.stringify({ config: meta.config, seed: meta.seed, dataDir: meta.dataDir, holdout: meta.holdout, reviewOrder: meta.order }, null, 2))}</pre>`,
      },
    ],
  });
}

/** Write review_curve.csv and compare.html into `dir`; returns their paths. */
export function writeReviewCurve(dir: string, rows: readonly ReviewCurveRow[], meta: ReviewCurveMeta): string[] {
  const csv = join(dir, REVIEW_CURVE_CSV);
  const html = join(dir, REVIEW_CURVE_HTML);
  writeFileAtomic(csv, reviewCurveCsv(rows));
  writeFileAtomic(html, reviewCurveHtml(rows, meta));
  return [csv, html];
}
