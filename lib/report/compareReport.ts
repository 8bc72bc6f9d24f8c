/** compare.html: every experiment of a sweep side by side, metrics with CIs, time and size. */
import { SUMMARY_METRICS } from '../evaluate/summarize.ts';
import { formatNumber, htmlReport, type PlotlyFigure, type TableCell } from './plotlyHtml.ts';
import type { ExperimentResult } from './types.ts';

const METRIC_LABELS: Record<(typeof SUMMARY_METRICS)[number], string> = {
  roc_auc: 'ROC AUC',
  pr_auc: 'AP',
  f1: 'F1',
  precision: 'precision',
  recall: 'recall',
  accuracy: 'accuracy',
};

/** ROC AUC, AP and F1 per experiment as dots with bootstrap CI error bars, best first. */
export function metricDotFigure(results: ExperimentResult[]): PlotlyFigure {
  const sorted = [...results].sort((a, b) => a.metrics.roc_auc - b.metrics.roc_auc);
  const names = sorted.map((r) => r.experiment);
  const trace = (key: 'roc_auc' | 'pr_auc' | 'f1', label: string, color: string) => ({
    type: 'scatter',
    mode: 'markers',
    name: label,
    y: names,
    x: sorted.map((r) => r.metrics[key]),
    error_x: {
      type: 'data',
      symmetric: false,
      array: sorted.map((r) => (r.metrics.ci ? r.metrics.ci[key].hi - r.metrics[key] : 0)),
      arrayminus: sorted.map((r) => (r.metrics.ci ? r.metrics[key] - r.metrics.ci[key].lo : 0)),
    },
    marker: { size: 10, color },
  });
  return {
    data: [trace('roc_auc', 'ROC AUC', '#1f77b4'), trace('pr_auc', 'Average precision', '#2ca02c'), trace('f1', 'F1', '#d62728')],
    layout: {
      title: { text: 'Out-of-fold metrics with bootstrap CIs' },
      xaxis: { title: { text: 'Metric' } },
      yaxis: { automargin: true },
      height: Math.max(320, 60 + 40 * results.length),
      font: { family: 'DejaVu Sans, sans-serif' },
    },
  };
}

/** ROC AUC against training time; marker size grows with the parameter count. */
export function costFigure(results: ExperimentResult[]): PlotlyFigure {
  const maxParams = Math.max(1, ...results.map((r) => r.model.params));
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers+text',
        x: results.map((r) => r.trainSeconds),
        y: results.map((r) => r.metrics.roc_auc),
        text: results.map((r) => r.experiment),
        textposition: 'top center',
        marker: { size: results.map((r) => 8 + 24 * Math.sqrt(r.model.params / maxParams)), color: '#1f77b4', opacity: 0.7 },
        hovertemplate: '%{text}<br>%{x:.1f} s<br>ROC AUC %{y:.4f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: 'ROC AUC vs training time (marker size ∝ √parameters)' },
      xaxis: { title: { text: 'Training seconds (all folds)' } },
      yaxis: { title: { text: 'ROC AUC' } },
      font: { family: 'DejaVu Sans, sans-serif' },
    },
  };
}

/** Counting scores: the detector's cross-validation over the field recordings, and the held-out recordings. */
function countingCells(r: ExperimentResult): TableCell[] {
  const c = r.counting;
  const cv = c?.tuning?.cv;
  const h = c?.holdout;
  return [
    cv ? formatNumber(cv.f1, 3) : '–',
    cv ? formatNumber(cv.mae, 3) : '–',
    h?.events?.f1 != null ? formatNumber(h.events.f1, 3) : '–',
    h ? formatNumber(h.mae, 2) : '–',
    h ? `${Math.round(h.exactRate * h.recordings.length)}/${h.recordings.length}` : '–',
  ];
}

export function compareReportHtml(results: ExperimentResult[], title = 'Experiment comparison'): string {
  // the sweep's own order: each row adds one lever to the one before
  const sorted = [...results];
  const withCi = (r: ExperimentResult, k: (typeof SUMMARY_METRICS)[number]) =>
    r.metrics.ci ? `${formatNumber(r.metrics[k], 3)} [${formatNumber(r.metrics.ci[k].lo, 3)}, ${formatNumber(r.metrics.ci[k].hi, 3)}]` : formatNumber(r.metrics[k], 3);
  const featureName = (f: object) => {
    const c = f as { kind?: string; melBins?: number; mfccCount?: number; fftLength?: number };
    if (!c.kind) return JSON.stringify(f);
    const bins = c.kind === 'spectrogram' ? (c.fftLength ?? 0) / 2 + 1 : c.kind === 'mfcc' ? c.mfccCount : c.melBins;
    return `${c.kind} (${bins} bins)`;
  };
  const rows: TableCell[][] = sorted.map((r) => [
    r.experiment,
    featureName(r.feature),
    r.model.name,
    r.model.params.toLocaleString('en-US'),
    ...SUMMARY_METRICS.map((k) => withCi(r, k)),
    ...countingCells(r),
    formatNumber(r.threshold, 3),
    formatNumber(r.trainSeconds, 1),
    r.nClips,
  ]);
  return htmlReport({
    title,
    subtitle:
      `${results.length} experiments in the sweep's order. Clip metrics are out-of-fold, brackets are bootstrap intervals resampling source groups. ` +
      "'field CV' is the tuned detector cross-validated over the field recordings' out-of-fold score tracks (what decisions use); " +
      "'held-out' is the final model counting the held-out recordings, reported only.",
    sections: [
      {
        heading: 'Results',
        table: {
          columns: ['experiment', 'feature', 'model', 'parameters', ...SUMMARY_METRICS.map((k) => METRIC_LABELS[k]), 'field CV event F1', 'field CV MAE', 'held-out event F1', 'held-out MAE', 'held-out exact', 'threshold', 'train s', 'clips'],
          rows,
        },
      },
      { heading: 'Metrics and cost', figures: [metricDotFigure(results), costFigure(results)] },
    ],
  });
}
