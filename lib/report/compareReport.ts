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

export function compareReportHtml(results: ExperimentResult[], title = 'Experiment comparison'): string {
  const sorted = [...results].sort((a, b) => (b.metrics.roc_auc || 0) - (a.metrics.roc_auc || 0));
  const withCi = (r: ExperimentResult, k: (typeof SUMMARY_METRICS)[number]) =>
    r.metrics.ci ? `${formatNumber(r.metrics[k], 3)} [${formatNumber(r.metrics.ci[k].lo, 3)}, ${formatNumber(r.metrics.ci[k].hi, 3)}]` : formatNumber(r.metrics[k], 3);
  const featureName = (f: object) => ('name' in f && typeof f.name === 'string' ? f.name : JSON.stringify(f));
  const rows: TableCell[][] = sorted.map((r) => [
    r.experiment,
    featureName(r.feature),
    r.model.name,
    r.model.params.toLocaleString('en-US'),
    ...SUMMARY_METRICS.map((k) => withCi(r, k)),
    formatNumber(r.threshold, 3),
    formatNumber(r.trainSeconds, 1),
    r.nClips,
  ]);
  return htmlReport({
    title,
    subtitle: `${results.length} experiments, sorted by out-of-fold ROC AUC; brackets are bootstrap confidence intervals.`,
    sections: [
      {
        heading: 'Results',
        table: { columns: ['experiment', 'feature', 'model', 'parameters', ...SUMMARY_METRICS.map((k) => METRIC_LABELS[k]), 'threshold', 'train s', 'clips'], rows },
      },
      { heading: 'Metrics and cost', figures: [metricDotFigure(results), costFigure(results)] },
    ],
  });
}
