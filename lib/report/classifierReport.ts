/** report.html for one cross-validated classifier experiment. */
import type { Audio } from '../audio/audio.ts';
import { classificationReport } from '../evaluate/classificationReport.ts';
import { prAuc } from '../evaluate/pr.ts';
import { rocAuc } from '../evaluate/roc.ts';
import { accuracy, confusion, f1 } from '../evaluate/confusion.ts';
import { SUMMARY_METRICS } from '../evaluate/summarize.ts';
import { wavDataUri } from './audioClips.ts';
import { prFigure, rocFigure, scoreHistogramFigure } from './classifierFigures.ts';
import { classNames, confusionMatrixSpec } from './figures/confusionMatrix.ts';
import { vegaLiteToSvg } from './figures/render.ts';
import { trainingCurvesSpec } from './figures/trainingCurves.ts';
import { BINARY_CLASS_NAMES } from './figures/confusionMatrix.ts';
import { escapeHtml, formatNumber, htmlReport, type Section, type TableCell } from './plotlyHtml.ts';
import type { ExperimentResult, OofPrediction } from './types.ts';

export interface ClassifierReportOptions {
  /** Link for a clip's audio player (e.g. relativeAudioHref(outDir, dataDir)); no player when absent. */
  audioHref?: (file: string) => string | undefined;
  /** Embed the worst clips in the page as WAV data: URIs (self-contained, bigger file). */
  embedAudio?: { load: (file: string) => Audio | Promise<Audio>; maxSeconds?: number };
  /** Rows in each worst-errors table (default 10). */
  worstK?: number;
  title?: string;
}

const METRIC_NAMES: Record<(typeof SUMMARY_METRICS)[number], string> = {
  roc_auc: 'ROC AUC',
  pr_auc: 'Average precision (PR AUC)',
  f1: 'F1',
  precision: 'Precision',
  recall: 'Recall',
  accuracy: 'Accuracy',
};

/** The most confident mistakes at the threshold: negatives scored highest, positives scored lowest. */
export function worstErrors(oof: OofPrediction[], threshold: number, k: number): { falsePositives: OofPrediction[]; falseNegatives: OofPrediction[] } {
  return {
    falsePositives: oof.filter((p) => p.label === 0 && p.score >= threshold).sort((a, b) => b.score - a.score).slice(0, k),
    falseNegatives: oof.filter((p) => p.label === 1 && p.score < threshold).sort((a, b) => a.score - b.score).slice(0, k),
  };
}

/** Per-fold metrics at the experiment's threshold (AUCs n/a when a fold lacks a class). */
export function perFoldRows(result: ExperimentResult) {
  const folds = [...new Set(result.oof.map((p) => p.fold))].sort((a, b) => a - b);
  return folds.map((fold) => {
    const ps = result.oof.filter((p) => p.fold === fold);
    const labels = ps.map((p) => p.label);
    const scores = ps.map((p) => p.score);
    const both = labels.includes(1) && labels.includes(0);
    const history = result.histories.find((h) => h.fold === fold);
    const c = confusion(labels, scores, result.threshold);
    return {
      fold,
      n: ps.length,
      n_pos: labels.filter((l) => l === 1).length,
      roc_auc: both ? rocAuc(labels, scores) : NaN,
      pr_auc: both ? prAuc(labels, scores) : NaN,
      f1: f1(c),
      accuracy: accuracy(c),
      best_epoch: history?.bestEpoch ?? null,
      epochs: history?.epochs.length ?? 0,
      seconds: history ? history.epochs.reduce((s, e) => s + e.seconds, 0) : 0,
    };
  });
}

/** A player for a clip, or for the window of a recording starting at `startSec` (a media fragment of the link). */
async function audioCell(file: string, options: ClassifierReportOptions, startSec?: number): Promise<TableCell> {
  if (options.embedAudio) {
    try {
      const audio = await options.embedAudio.load(file);
      return { html: `<audio controls preload="none" src="${wavDataUri(audio, options.embedAudio.maxSeconds ?? 5)}"></audio>` };
    } catch (err) {
      return `audio unavailable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const href = options.audioHref?.(file);
  const at = startSec === undefined ? '' : `#t=${startSec.toFixed(2)}`;
  return href ? { html: `<audio controls preload="none" src="${escapeHtml(href + at)}"></audio>` } : 'no link';
}

async function errorsTable(ps: OofPrediction[], options: ClassifierReportOptions) {
  const rows: TableCell[][] = [];
  for (const [i, p] of ps.entries()) rows.push([i + 1, p.start_s === undefined ? p.file : `${p.file} at ${p.start_s.toFixed(2)} s`, p.group, p.fold, formatNumber(p.score), await audioCell(p.file, options, p.start_s)]);
  return { columns: ['#', 'file', 'group', 'fold', 'score', 'listen'], rows };
}

/** classification_report text with the target's class names (only the classes present). */
export function binaryClassificationReport(labels: number[], preds: number[], digits = 3, names: string[] = BINARY_CLASS_NAMES): string {
  const present = [...new Set([...labels, ...preds])].sort((a, b) => a - b);
  return classificationReport(labels, preds, { targetNames: present.map((c) => names[c] ?? String(c)), digits });
}

const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

/** The whole report as one self-contained HTML string. */
/** A static figure (the same Vega-Lite spec as the PNG files) inlined as SVG. */
const figureHtml = (svg: string) => `<div class="capuchin-figure" style="max-width:100%;overflow-x:auto">${svg}</div>`;

export async function classifierReportHtml(result: ExperimentResult, options: ClassifierReportOptions = {}): Promise<string> {
  const k = options.worstK ?? 10;
  const m = result.metrics;
  const ci = m.ci;
  const names = classNames(result.target);
  const what = result.target?.name ?? 'Capuchinbird';
  const unit = result.oofUnit === 'window' ? 'Window' : 'Clip';
  const metricRows: TableCell[][] = SUMMARY_METRICS.map((key) => [
    METRIC_NAMES[key],
    formatNumber(m[key]),
    ci ? `${formatNumber(ci[key].lo)} – ${formatNumber(ci[key].hi)}` : 'not computed',
  ]);
  metricRows.push(['Threshold (score ≥ t is positive)', formatNumber(result.threshold), null]);
  const { falsePositives, falseNegatives } = worstErrors(result.oof, result.threshold, k);
  const labels = result.oof.map((p) => p.label);
  const preds = result.oof.map((p) => (p.score >= result.threshold ? 1 : 0));
  const ciLabel = ci ? `${Math.round(ci.level * 100)}% CI (bootstrap, ${ci.n} ${ci.stratified ? 'stratified ' : ''}resamples, seed ${ci.seed})` : 'CI';
  const sections: Section[] = [
    {
      heading: 'Out-of-fold metrics',
      html: `<p>${result.nClips} clips from ${result.nGroups} groups, ${result.folds}-fold group cross-validation; every score comes from the fold model that never saw the clip's group.</p>`,
      table: { columns: ['Metric', 'Value', ciLabel], rows: metricRows },
    },
    {
      heading: 'Per fold',
      table: {
        columns: ['fold', 'clips', 'positives', 'ROC AUC', 'AP', 'F1', 'accuracy', 'kept epoch', 'epochs', 'train s'],
        rows: perFoldRows(result).map((r) => [r.fold, r.n, r.n_pos, formatNumber(r.roc_auc), formatNumber(r.pr_auc), formatNumber(r.f1), formatNumber(r.accuracy), r.best_epoch, r.epochs, formatNumber(r.seconds, 1)]),
      },
    },
  ];
  if (result.histories.some((h) => h.epochs.length > 0)) {
    sections.push({ heading: 'Training curves', html: figureHtml(await vegaLiteToSvg(trainingCurvesSpec(result.histories))) });
  }
  sections.push(
    labels.includes(0) && labels.includes(1)
      ? { heading: 'ROC and precision–recall', figures: [rocFigure(result.oof), prFigure(result.oof)] }
      : { heading: 'ROC and precision–recall', html: '<p>Not drawn: the out-of-fold predictions hold only one class.</p>' },
    {
      heading: 'Confusion matrix and scores',
      html: figureHtml(await vegaLiteToSvg(confusionMatrixSpec(m.confusion, names, `Confusion matrix (threshold ${result.threshold.toPrecision(3)})`))),
      figures: [scoreHistogramFigure(result.oof, result.threshold, names)],
    },
    { heading: `Worst false positives (${falsePositives.length})`, html: `<p>${unit}s without a ${escapeHtml(what)} call that the model was most sure about.</p>`, table: await errorsTable(falsePositives, options) },
    { heading: `Worst false negatives (${falseNegatives.length})`, html: `<p>${escapeHtml(what)} ${unit.toLowerCase()}s the model scored lowest.</p>`, table: await errorsTable(falseNegatives, options) },
    { heading: 'Classification report', html: `<pre>${escapeHtml(binaryClassificationReport(labels, preds, 3, names))}</pre>` },
    { heading: 'Model, feature and backend', html: json({ model: result.model, feature: result.feature, backend: result.backend, train_seconds: result.trainSeconds }) },
    { heading: 'Config', html: json(result.config) },
  );
  return htmlReport({
    title: options.title ?? `Experiment: ${result.experiment}${result.target ? ` (${result.target.name})` : ''}`,
    subtitle: `${result.model.name} (${result.model.params.toLocaleString('en-US')} parameters) · ROC AUC ${formatNumber(m.roc_auc, 3)} · F1 ${formatNumber(m.f1, 3)} · trained in ${formatNumber(result.trainSeconds, 1)} s`,
    sections,
  });
}
