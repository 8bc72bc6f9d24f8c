/**
 * Honest cross-validation of one experiment: stratified group k-fold over source recordings;
 * inside each training fold a group-disjoint inner validation set drives early stopping and the
 * threshold; out-of-fold scores for every clip; then a final model trained on all clips for the
 * median best epoch count of the folds, saved with its feature config and threshold.
 * Folds run in parallel worker_threads (one single-threaded wasm backend each).
 */
import { chooseThreshold } from '../evaluate/threshold.ts';
import type { ClipDataset } from '../data/load.ts';
import { foldSizes, formatFoldSizes, stratifiedGroupKFold, type Fold } from '../data/split.ts';
import { Progress } from '../util/progress.ts';
import { defaultConcurrency, runPool, runTsWorker, toShared } from '../util/workers.ts';
import type { BackendName } from './backend/select.ts';
import type { ExperimentConfig } from './experimentConfig.ts';
import { runFoldJob, type FoldJob, type FoldOutcome, type FoldProgress, type SharedClips } from './foldJob.ts';
import type { EpochRecord } from './train.ts';
export type { EpochRecord };

export interface CrossValidationOptions {
  /** Parallel training jobs (default: the cores; 1 runs in-process). */
  concurrency?: number;
  backend?: BackendName;
  allowCpuTraining?: boolean;
  /** When set, the final model is trained on all clips and saved here. */
  modelDir?: string;
  dataDir?: string;
  log?: (line: string) => void;
}

export interface FoldHistory {
  fold: number;
  epochs: EpochRecord[];
  bestEpoch: number;
}

export interface OofPrediction {
  file: string;
  group: string;
  label: 0 | 1;
  score: number;
  fold: number;
}

export interface CrossValidationResult {
  folds: Fold[];
  histories: FoldHistory[];
  oof: OofPrediction[];
  /** Chosen on the pooled inner-validation scores of all folds (never on out-of-fold scores). */
  threshold: number;
  finalEpochs: number;
  final: FoldOutcome | null;
  backend: string;
  params: number;
  /** Wall-clock seconds of all training, final model included. */
  trainSeconds: number;
}

/** Split a fold's training clips into inner-train and a group-disjoint inner validation set. */
export function innerSplit(dataset: ClipDataset, trainIdx: readonly number[], fraction: number, seed: number): { train: number[]; validation: number[] } {
  const items = trainIdx.map((i) => dataset.clips[i]);
  const groupsPerClass = [0, 1].map((c) => new Set(items.filter((x) => x.label === c).map((x) => x.group)).size);
  const k = Math.max(2, Math.min(Math.round(1 / fraction), ...groupsPerClass));
  if (Math.min(...groupsPerClass) < 2) {
    throw new Error(
      `capuchin: a training fold has fewer than 2 source recordings of one class (${groupsPerClass.join('/')} negative/positive groups), ` +
        'so no group-disjoint inner validation set exists. Fix: use fewer folds (train.folds) or more data.',
    );
  }
  const inner = stratifiedGroupKFold(items, { k, seed })[0];
  return { train: inner.train.map((i) => trainIdx[i]), validation: inner.validation.map((i) => trainIdx[i]) };
}

function sharedClips(dataset: ClipDataset): SharedClips {
  const clipSamples = dataset.waveforms?.[0]?.length ?? 0;
  let waveforms: Float32Array | undefined;
  if (dataset.waveforms) {
    waveforms = new Float32Array(new SharedArrayBuffer(dataset.waveforms.length * clipSamples * 4));
    dataset.waveforms.forEach((w, i) => waveforms!.set(w, i * clipSamples));
  }
  return {
    files: dataset.clips.map((c) => c.file),
    groups: dataset.clips.map((c) => c.group),
    labels: dataset.clips.map((c) => c.label),
    features: toShared(dataset.features),
    shape: dataset.shape,
    waveforms,
    clipSamples,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

export async function crossValidate(dataset: ClipDataset, experiment: ExperimentConfig, opts: CrossValidationOptions = {}): Promise<CrossValidationResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const cfg = experiment.train;
  const folds = stratifiedGroupKFold(dataset.clips, { k: cfg.folds, seed: cfg.seed });
  log(`cross-validation: ${cfg.folds} stratified group folds over ${dataset.clips.length} clips\n${formatFoldSizes(foldSizes(dataset.clips, folds))}`);
  const clips = sharedClips(dataset);
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const started = Date.now();

  const foldProgress = new Progress('training folds', folds.length);
  let done = 0;
  const run = (job: FoldJob) => {
    // Folds report in fold units; the final model in epoch units.
    const progress = job.kind === 'final' ? new Progress('final model epochs', job.epochs ?? cfg.maxEpochs) : foldProgress;
    const onProgress = (p: FoldProgress) => {
      if (p.record) {
        const r = p.record;
        log(
          `  ${p.kind === 'final' ? 'final' : `fold ${p.fold + 1}/${cfg.folds}`} epoch ${r.epoch}: loss ${r.loss.toFixed(4)} acc ${r.acc.toFixed(3)}` +
            (r.val_loss !== undefined ? ` val_loss ${r.val_loss.toFixed(4)} val_acc ${r.val_acc!.toFixed(3)}` : '') +
            ` (${r.seconds.toFixed(1)}s)`,
        );
      } else {
        progress.update(job.kind === 'final' ? p.epoch - 1 : done, `| ${p.kind === 'final' ? 'final model' : `fold ${p.fold + 1}`} epoch ${p.epoch}/${p.maxEpochs} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)}`);
      }
    };
    if (concurrency <= 1) return runFoldJob(clips, job, onProgress);
    return runTsWorker<FoldOutcome, FoldProgress>(new URL('./foldWorker.ts', import.meta.url), { clips, job }, onProgress);
  };

  const jobs: FoldJob[] = folds.map((fold) => {
    const inner = innerSplit(dataset, fold.train, cfg.innerValidationFraction, cfg.seed + fold.index);
    return {
      kind: 'fold',
      fold: fold.index,
      trainIdx: inner.train,
      innerValIdx: inner.validation,
      outerValIdx: [...fold.validation],
      experiment,
      backend: opts.backend,
      allowCpuTraining: opts.allowCpuTraining,
    };
  });
  const outcomes = await runPool(jobs, concurrency, async (job) => {
    const outcome = await run(job);
    foldProgress.update(++done, `| fold ${job.fold + 1} done in ${outcome.seconds.toFixed(0)}s, best epoch ${outcome.bestEpoch}`);
    return outcome;
  });

  const oof: OofPrediction[] = [];
  const innerLabels: number[] = [];
  const innerScores: number[] = [];
  outcomes.forEach((o, f) => {
    jobs[f].outerValIdx.forEach((i, j) => {
      const c = dataset.clips[i];
      oof.push({ file: c.file, group: c.group, label: c.label, score: o.outerValScores[j], fold: f });
    });
    jobs[f].innerValIdx.forEach((i, j) => {
      innerLabels.push(dataset.clips[i].label);
      innerScores.push(o.innerValScores[j]);
    });
  });
  oof.sort((a, b) => a.file.localeCompare(b.file));
  const threshold = chooseThreshold(innerLabels, innerScores, { metric: cfg.thresholdMetric });
  const finalEpochs = Math.max(1, median(outcomes.map((o) => o.bestEpoch)));

  let final: FoldOutcome | null = null;
  if (opts.modelDir) {
    log(`final model: all ${dataset.clips.length} clips, ${finalEpochs} epochs (median best epoch of the folds), threshold ${threshold.toFixed(3)}`);
    const all = dataset.clips.map((_, i) => i);
    final = await run(
      {
        kind: 'final',
        fold: cfg.folds,
        trainIdx: all,
        innerValIdx: [],
        outerValIdx: [],
        experiment,
        epochs: finalEpochs,
        // the final model trains alone: let its wasm use every worker's core
        wasmThreads: concurrency > 1 ? concurrency : undefined,
        backend: opts.backend,
        allowCpuTraining: opts.allowCpuTraining,
        save: {
          dir: opts.modelDir,
          meta: {
            version: 1,
            architecture: cfg.model,
            feature: experiment.feature,
            threshold,
            inputShape: [dataset.shape[1], dataset.shape[2]],
            trainedOn: {
              clips: dataset.clips.length,
              positives: dataset.clips.filter((c) => c.label === 1).length,
              groups: new Set(dataset.clips.map((c) => c.group)).size,
              dataDir: opts.dataDir,
            },
            createdAt: new Date().toISOString(),
          },
        },
      },
    );
  }

  return {
    folds,
    histories: outcomes.map((o) => ({ fold: o.fold, epochs: o.history, bestEpoch: o.bestEpoch })),
    oof,
    threshold,
    finalEpochs,
    final,
    backend: outcomes[0]?.backend ?? 'unknown',
    params: outcomes[0]?.params ?? 0,
    trainSeconds: (Date.now() - started) / 1000,
  };
}
