/**
 * Interactive (plotly) figures for one cross-validated classifier: ROC, PR, score histograms. The
 * training curves and the confusion matrix are specified once, as Vega-Lite (figures/), and drawn
 * from that spec in the PNGs, the HTML report and the notebooks.
 */
import { prAuc, prCurve } from '../evaluate/pr.ts';
import { rocAuc, rocCurve } from '../evaluate/roc.ts';
import { BINARY_CLASS_NAMES } from './figures/confusionMatrix.ts';
import type { PlotlyFigure } from './plotlyHtml.ts';
import type { OofPrediction } from './types.ts';

/** Plotly's default qualitative palette, so a fold keeps its colour in every figure. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const colour = (i: number) => PALETTE[i % PALETTE.length];
const FONT = { family: 'DejaVu Sans, sans-serif' };

function byFold(oof: OofPrediction[]): Map<number, OofPrediction[]> {
  const folds = new Map<number, OofPrediction[]>();
  for (const p of [...oof].sort((a, b) => a.fold - b.fold)) {
    if (!folds.has(p.fold)) folds.set(p.fold, []);
    folds.get(p.fold)!.push(p);
  }
  return folds;
}

const hasBothClasses = (ps: OofPrediction[]) => ps.some((p) => p.label === 1) && ps.some((p) => p.label === 0);

/** One trace per fold that holds both classes, from its labels and scores. */
function perFold(oof: OofPrediction[], trace: (labels: number[], scores: number[], fold: number, i: number) => Record<string, unknown>): Record<string, unknown>[] {
  return [...byFold(oof)].flatMap(([fold, ps], i) => (hasBothClasses(ps) ? [trace(ps.map((p) => p.label), ps.map((p) => p.score), fold, i)] : []));
}

/** Pooled out-of-fold ROC (thick) and one thin curve per fold, with AUCs in the legend. */
export function rocFigure(oof: OofPrediction[]): PlotlyFigure {
  const data = perFold(oof, (labels, scores, fold, i) => {
    const c = rocCurve(labels, scores);
    return { type: 'scatter', mode: 'lines', name: `fold ${fold} (AUC ${rocAuc(labels, scores).toFixed(3)})`, x: c.fpr, y: c.tpr, line: { color: colour(i), width: 1 }, opacity: 0.6 };
  });
  const labels = oof.map((p) => p.label);
  const scores = oof.map((p) => p.score);
  const c = rocCurve(labels, scores);
  data.push({ type: 'scatter', mode: 'lines', name: `pooled OOF (AUC ${rocAuc(labels, scores).toFixed(3)})`, x: c.fpr, y: c.tpr, text: c.thresholds.map((t) => `threshold ${t}`), line: { color: 'black', width: 3 } });
  data.push({ type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { color: 'grey', dash: 'dot' }, hoverinfo: 'skip' });
  return {
    data,
    layout: { title: { text: 'ROC curve (out-of-fold)' }, xaxis: { title: { text: 'False-positive rate' }, range: [0, 1] }, yaxis: { title: { text: 'True-positive rate' }, range: [0, 1.02] }, font: FONT },
  };
}

/** Pooled out-of-fold precision–recall curve (steps) plus per-fold curves and the prevalence baseline. */
export function prFigure(oof: OofPrediction[]): PlotlyFigure {
  const data = perFold(oof, (labels, scores, fold, i) => {
    const c = prCurve(labels, scores);
    return { type: 'scatter', mode: 'lines', line: { shape: 'vh', color: colour(i), width: 1 }, opacity: 0.6, name: `fold ${fold} (AP ${prAuc(labels, scores).toFixed(3)})`, x: c.recall, y: c.precision };
  });
  const labels = oof.map((p) => p.label);
  const scores = oof.map((p) => p.score);
  const c = prCurve(labels, scores);
  const prevalence = labels.filter((l) => l === 1).length / labels.length;
  data.push({ type: 'scatter', mode: 'lines', line: { shape: 'vh', color: 'black', width: 3 }, name: `pooled OOF (AP ${prAuc(labels, scores).toFixed(3)})`, x: c.recall, y: c.precision, text: c.thresholds.map((t) => `threshold ${t}`) });
  data.push({ type: 'scatter', mode: 'lines', name: `chance (prevalence ${prevalence.toFixed(3)})`, x: [0, 1], y: [prevalence, prevalence], line: { color: 'grey', dash: 'dot' }, hoverinfo: 'skip' });
  return {
    data,
    layout: { title: { text: 'Precision–recall curve (out-of-fold)' }, xaxis: { title: { text: 'Recall' }, range: [0, 1] }, yaxis: { title: { text: 'Precision' }, range: [0, 1.02] }, font: FONT },
  };
}

export function scoreHistogramFigure(oof: OofPrediction[], threshold: number, names: string[] = BINARY_CLASS_NAMES): PlotlyFigure {
  const scores = oof.map((p) => p.score);
  const unit = scores.every((s) => s >= 0 && s <= 1);
  const bins = unit ? { start: 0, end: 1, size: 0.025 } : undefined;
  const trace = (label: 0 | 1, color: string) => ({
    type: 'histogram',
    name: `${names[label]} (${oof.filter((p) => p.label === label).length})`,
    x: oof.filter((p) => p.label === label).map((p) => p.score),
    xbins: bins,
    nbinsx: bins ? undefined : 40,
    opacity: 0.6,
    marker: { color },
  });
  return {
    data: [trace(0, '#1f77b4'), trace(1, '#d62728')],
    layout: {
      title: { text: 'Out-of-fold scores by true class' },
      barmode: 'overlay',
      xaxis: { title: { text: 'Score' } },
      yaxis: { title: { text: 'Clips' } },
      shapes: [{ type: 'line', x0: threshold, x1: threshold, yref: 'paper', y0: 0, y1: 1, line: { color: 'black', dash: 'dash' } }],
      annotations: [{ x: threshold, yref: 'paper', y: 1, text: `threshold ${threshold.toPrecision(3)}`, showarrow: false, yanchor: 'bottom' }],
      font: FONT,
    },
  };
}
