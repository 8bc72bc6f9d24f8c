/**
 * Write every output of one experiment (and of a sweep) so that a crash never leaves a half-written set:
 * everything is rendered in memory first, then written with writeFileAtomic into a staging folder inside
 * outDir, then renamed into place one file after another (rename is atomic). If rendering or staging fails,
 * the staging folder is removed and the previous run's files are untouched.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareReportHtml } from './compareReport.ts';
import { binaryClassificationReport, classifierReportHtml, perFoldRows, type ClassifierReportOptions } from './classifierReport.ts';
import { relativeAudioHref } from './audioClips.ts';
import { classNames, confusionMatrixPng } from './figures/confusionMatrix.ts';
import { trainingCurvesPng } from './figures/trainingCurves.ts';
import { noDataPng } from './figures/render.ts';
import { compareCsv, oofPredictionsCsv } from './tables.ts';
import { parseExperimentResult, type ExperimentResult } from './types.ts';
import { writeFileAtomic } from '../util/atomic.ts';

export const EXPERIMENT_FILES = {
  metrics: 'metrics.json',
  report: 'report.html',
  classificationReport: 'classification_report.txt',
  confusionMatrix: 'confusion_matrix.png',
  trainingCurves: 'training_curves.png',
  oofPredictions: 'oof_predictions.csv',
} as const;

export interface ExperimentReportExtras extends ClassifierReportOptions {
  /** The data folder the OOF `file` paths are relative to; gives audio players relative links when audioHref is absent. */
  dataDir?: string;
  /** How each file is written into the staging folder (default writeFileAtomic); a test hook. */
  writeFile?: (path: string, data: string | Uint8Array) => void;
}

/** Write all files into outDir as one unit (see the module comment). Returns the written paths. */
export function commitFiles(outDir: string, files: Map<string, string | Uint8Array>, writeFile = writeFileAtomic): string[] {
  mkdirSync(outDir, { recursive: true });
  const staging = join(outDir, `.staging-${process.pid}-${Date.now()}`);
  try {
    for (const [name, data] of files) writeFile(join(staging, name), data);
    for (const name of files.keys()) renameSync(join(staging, name), join(outDir, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return [...files.keys()].map((name) => join(outDir, name));
}

/** metrics.json content: headline OOF metrics with CIs, sizes, feature/model/backend, per-fold numbers, config. */
export function metricsJson(result: ExperimentResult) {
  const m = result.metrics;
  return {
    experiment: result.experiment,
    backend: result.backend,
    n_clips: result.nClips,
    n_groups: result.nGroups,
    folds: result.folds,
    feature: result.feature,
    model: result.model,
    train_seconds: result.trainSeconds,
    oof: {
      roc_auc: m.roc_auc,
      pr_auc: m.pr_auc,
      f1: m.f1,
      precision: m.precision,
      recall: m.recall,
      accuracy: m.accuracy,
      threshold: result.threshold,
      n: m.n,
      n_pos: m.n_pos,
      n_neg: m.n_neg,
      confusion: m.confusion,
      ci: m.ci,
    },
    per_fold: perFoldRows(result),
    counting: result.counting ?? null,
    config: result.config,
  };
}

/**
 * Write metrics.json, report.html, classification_report.txt, confusion_matrix.png,
 * training_curves.png and oof_predictions.csv for one cross-validated experiment.
 */
export async function writeExperimentReport(outDir: string, result: ExperimentResult, extras: ExperimentReportExtras = {}): Promise<string[]> {
  const r = parseExperimentResult(result, `writeExperimentReport(${outDir})`);
  const audioHref = extras.audioHref ?? (extras.dataDir ? relativeAudioHref(outDir, extras.dataDir) : undefined);
  const labels = r.oof.map((p) => p.label);
  const preds = r.oof.map((p) => (p.score >= r.threshold ? 1 : 0));
  const files = new Map<string, string | Uint8Array>();
  files.set(EXPERIMENT_FILES.metrics, JSON.stringify(metricsJson(r), null, 2) + '\n');
  const names = classNames(r.target);
  files.set(EXPERIMENT_FILES.classificationReport, `threshold ${r.threshold} (score >= threshold is ${names[1]}), out-of-fold ${r.oofUnit === 'window' ? 'windows' : 'predictions'}\n\n${binaryClassificationReport(labels, preds, 3, names)}`);
  files.set(EXPERIMENT_FILES.confusionMatrix, await confusionMatrixPng(r.metrics.confusion, names, `Confusion matrix (threshold ${r.threshold.toPrecision(3)})`));
  files.set(
    EXPERIMENT_FILES.trainingCurves,
    r.histories.some((h) => h.epochs.length > 0) ? await trainingCurvesPng(r.histories) : await noDataPng('Training curves', 'No training history was recorded'),
  );
  files.set(EXPERIMENT_FILES.oofPredictions, await oofPredictionsCsv(r.oof, r.threshold));
  files.set(EXPERIMENT_FILES.report, await classifierReportHtml(r, { ...extras, audioHref }));
  return commitFiles(outDir, files, extras.writeFile);
}

/** compare.html and compare.csv for a sweep (`experiment all`): one row per experiment. */
export function compareReport(outDir: string, results: ExperimentResult[], extras: Pick<ExperimentReportExtras, 'writeFile'> & { title?: string } = {}): string[] {
  const parsed = results.map((r, i) => parseExperimentResult(r, `compareReport: results[${i}]`));
  const files = new Map<string, string | Uint8Array>([
    ['compare.csv', compareCsv(parsed)],
    ['compare.html', compareReportHtml(parsed, extras.title)],
  ]);
  return commitFiles(outDir, files, extras.writeFile);
}
