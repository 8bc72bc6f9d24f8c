/**
 * Honest cross-validation of one experiment: stratified group k-fold over source recordings;
 * inside each training fold a group-disjoint inner validation set gives the threshold (and drives early
 * stopping in a config that turns it on); out-of-fold scores for every clip; then a final model trained
 * on everything with the folds' recipe (for the folds' median best epoch count with early stopping),
 * saved with its feature config and threshold.
 *
 * Field recordings (when given) are split into the same k folds, by recording. Fold k never trains
 * on, or mixes background from, its own field recordings, and scores them whole after training:
 * out-of-fold score tracks of every field recording, on which the detector is tuned. Where field labels
 * train (the config's field.labels), the labelled ones also give training windows (and inner-validation windows).
 * Folds run in parallel worker_threads (one single-threaded wasm backend each).
 */
import { chooseThreshold } from '../evaluate/threshold.ts';
import type { FieldData, FieldLabels } from '../data/field.ts';
import type { ClipDataset } from '../data/load.ts';
import { foldSizes, formatFoldSizes, stratifiedGroupKFold, type Fold } from '../data/split.ts';
import { framesPerSec } from '../features/config.ts';
import { Progress } from '../util/progress.ts';
import { defaultConcurrency, runPool, runTsWorker, TFJS_PRELOAD } from '../util/workers.ts';
import type { BackendName } from './backend/select.ts';
import type { ExperimentConfig } from './experimentConfig.ts';
import { updateModelMeta } from './io.ts';
import { fieldFolds, innerSplit, planFieldFold, sharedData } from './cvData.ts';
import { runFoldJob, type FoldJob, type FoldOutcome, type FoldProgress } from './foldJob.ts';
import type { ScoreTrack } from './scoreWindows.ts';

export { fieldFolds, innerSplit };
import type { EpochRecord } from './train.ts';
export type { EpochRecord };

export interface FieldInputs {
  /** Frames of the field recordings (the field role of the protocol). */
  data: FieldData;
  /** Training labels (--field-labels), keyed by recording name; absent: the recordings are background only. */
  labels?: FieldLabels;
  /** Detections a reviewer rejected in labelled recordings (verdicts.csv beside --field-labels): hard negatives. */
  rejected?: FieldLabels;
  /** Frames between the starts of scored windows in the out-of-fold tracks (the detector's hop). */
  hopFrames: number;
  /** Degraded copies of the field recordings (npm run degrade), scored out of fold beside the originals: item[i] is recording i's copy in `data`, or −1. */
  degraded?: DegradedField[];
}

export interface DegradedField {
  name: string;
  data: FieldData;
  item: number[];
}

export interface CrossValidationOptions {
  /** Parallel training jobs (default: the cores; 1 runs in-process). */
  concurrency?: number;
  backend?: BackendName;
  allowCpuTraining?: boolean;
  /** When set, the final model is trained on everything and saved here. */
  modelDir?: string;
  dataDir?: string;
  field?: FieldInputs;
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
  /** For a window of an annotated recording (a run without clips): where it starts in `file`, seconds. */
  start_s?: number;
}

/** A field recording scored whole by the fold model that never saw it. */
export interface OofTrack extends ScoreTrack {
  fold: number;
}

export interface CrossValidationResult {
  folds: Fold[];
  histories: FoldHistory[];
  oof: OofPrediction[];
  /** Out-of-fold score tracks of the field recordings (empty without field recordings). */
  tracks: OofTrack[];
  /** Per degradation, the out-of-fold score tracks of the field recordings' degraded copies (by the same fold models). */
  degradedTracks: { name: string; tracks: OofTrack[] }[];
  /** Chosen on the pooled inner-validation clip scores of all folds (never on out-of-fold scores). */
  threshold: number;
  finalEpochs: number;
  final: FoldOutcome | null;
  backend: string;
  params: number;
  /** Wall-clock seconds of all training, final model included. */
  trainSeconds: number;
  /** Examples in one training epoch of the first fold (clips plus field windows). */
  examplesPerEpoch: number;
  /** Per fold, the field recordings it trained on, validated on, mixed background from and scored (by name). */
  fieldFolds: { fold: number; train: string[]; innerValidation: string[]; background: string[]; scored: string[] }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

/** What every job of one cross-validation shares: the folds, the data the workers get, the field recordings' plan. */
interface CvPlan {
  folds: Fold[];
  data: ReturnType<typeof sharedData>;
  /** Field recordings by name, their labelled flags and fold. */
  names: string[];
  labelled: boolean[];
  recFold: number[];
  /** No clips: the annotated recordings' windows are all there is. */
  clipless: boolean;
}

/** The folds over clips and field recordings, checked and logged. */
function planCrossValidation(dataset: ClipDataset, experiment: ExperimentConfig, field: FieldInputs | undefined, log: (line: string) => void): CvPlan {
  const cfg = experiment.train;
  const names = field?.data.recordings.map((r) => r.name) ?? [];
  const clipless = dataset.clips.length === 0;
  if (clipless && !field?.labels) throw new Error('capuchin: nothing to train on: no clips and no annotated recordings. Fix: pass clip folders (--positives, --negatives) or --recordings with --annotations.');
  if (clipless && names.length < cfg.folds) {
    throw new Error(`capuchin: ${cfg.folds} folds need at least ${cfg.folds} annotated recordings (folds are by recording), found ${names.length}. Fix: pass --folds ${Math.max(2, names.length)} or fewer, or annotate more recordings.`);
  }
  // without clips the folds are the recordings' alone (fieldFolds below)
  const folds = clipless ? Array.from({ length: cfg.folds }, (_, index) => ({ index, train: [], validation: [] })) : stratifiedGroupKFold(dataset.clips, { k: cfg.folds, seed: cfg.seed });
  log(`cross-validation: ${cfg.folds} ${clipless ? 'folds over the annotated recordings' : `stratified group folds over ${dataset.clips.length} clips\n${formatFoldSizes(foldSizes(dataset.clips, folds))}`}`);
  const data = sharedData(dataset, field, experiment);
  const labelled = names.map((_, i) => data.field?.ranges[i] != null);
  const recFold = fieldFolds(names, cfg.folds, cfg.seed, field?.labels);
  if (field) {
    const perFold = Array.from({ length: cfg.folds }, (_, f) => names.filter((_, i) => recFold[i] === f).length);
    const mode = field.labels ? `${labelled.filter(Boolean).length} labelled (training windows) and background` : 'background only, labels unused';
    log(`field recordings: ${names.length} (${mode}), per fold ${perFold.join('/')}; each fold scores its own whole for the detector`);
  }
  return { folds, data, names, labelled, recFold, clipless };
}

/** One job per fold: its clips (training, inner validation, out of fold) and its field recordings (lib/model/cvData.ts). */
function foldJobs(plan: CvPlan, dataset: ClipDataset, experiment: ExperimentConfig, opts: CrossValidationOptions): FoldJob[] {
  const cfg = experiment.train;
  return plan.folds.map((fold) => {
    const inner = plan.clipless ? { train: [], validation: [] } : innerSplit(dataset, fold.train, cfg.innerValidationFraction, cfg.seed + fold.index, cfg.earlyStopping);
    const field = planFieldFold(fold.index, plan.recFold, plan.labelled, cfg.innerValidationFraction, cfg.seed);
    return {
      kind: 'fold',
      fold: fold.index,
      trainIdx: inner.train,
      innerValIdx: inner.validation,
      outerValIdx: [...fold.validation],
      fieldTrain: field.train,
      fieldInnerVal: field.innerValidation,
      background: field.background,
      score: field.score,
      hopFrames: opts.field?.hopFrames ?? 1,
      experiment,
      backend: opts.backend,
      allowCpuTraining: opts.allowCpuTraining,
    };
  });
}

/** The final model's job (everything trains; the model is saved to opts.modelDir), or null without a model folder. */
function finalJobOf(plan: CvPlan, dataset: ClipDataset, experiment: ExperimentConfig, opts: CrossValidationOptions): FoldJob | null {
  if (!opts.modelDir) return null;
  const cfg = experiment.train;
  const fieldAll = plan.names.map((_, i) => i).filter((i) => plan.labelled[i]);
  return {
    kind: 'final',
    fold: cfg.folds,
    trainIdx: dataset.clips.map((_, i) => i),
    innerValIdx: [],
    outerValIdx: [],
    fieldTrain: fieldAll,
    fieldInnerVal: [],
    background: plan.names.map((_, i) => i),
    score: [],
    hopFrames: opts.field?.hopFrames ?? 1,
    experiment,
    epochs: cfg.maxEpochs,
    backend: opts.backend,
    allowCpuTraining: opts.allowCpuTraining,
    save: {
      dir: opts.modelDir,
      meta: {
        version: 1,
        architecture: cfg.model,
        feature: experiment.feature,
        target: experiment.target,
        threshold: 0.5, // replaced by the folds' threshold once they are done
        inputShape: [dataset.shape[1], dataset.shape[2]],
        trainedOn: {
          clips: dataset.clips.length,
          positives: dataset.clips.filter((c) => c.label === 1).length,
          groups: new Set(dataset.clips.map((c) => c.group)).size,
          fieldRecordings: fieldAll.map((i) => plan.names[i]),
          backgroundRecordings: experiment.augment.background.enabled ? plan.names : [],
          dataDir: opts.dataDir,
        },
        createdAt: new Date().toISOString(),
      },
    },
  };
}

/** Runs one job in-process or in a worker thread, logging its epochs and moving the progress lines. */
function jobRunner(plan: CvPlan, cfg: ExperimentConfig['train'], concurrency: number, foldProgress: Progress, foldsDone: () => number, log: (line: string) => void) {
  return (job: FoldJob): Promise<FoldOutcome> => {
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
        progress.update(job.kind === 'final' ? p.epoch - 1 : foldsDone(), `| ${p.kind === 'final' ? 'final model' : `fold ${p.fold + 1}`} epoch ${p.epoch}/${p.maxEpochs} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)}`);
      }
    };
    const running = concurrency <= 1 ? runFoldJob(plan.data, job, onProgress) : runTsWorker<FoldOutcome, FoldProgress>(new URL('./foldWorker.ts', import.meta.url), { clips: plan.data, job }, onProgress, TFJS_PRELOAD);
    // the final model's line ends at its last epoch (batch updates stop one short of it)
    return job.kind === 'final' ? running.then((o) => (progress.update(job.epochs ?? cfg.maxEpochs, '| final model done'), o)) : running;
  };
}

/** What the fold models said: out-of-fold clip scores, the inner validation scores that pick the threshold, field tracks. */
function collectOutcomes(plan: CvPlan, dataset: ClipDataset, experiment: ExperimentConfig, field: FieldInputs | undefined, jobs: FoldJob[], outcomes: FoldOutcome[]) {
  const oof: OofPrediction[] = [];
  const innerLabels: number[] = [];
  const innerScores: number[] = [];
  const tracks: OofTrack[] = [];
  const hopSec = (field?.hopFrames ?? 1) / framesPerSec(experiment.feature);
  /** Fold f's out-of-fold track of field recording `item` (or of its copy, `durationSec` the copy's). */
  const oofTrack = (item: number, f: number, scores: Float32Array, durationSec: number): OofTrack => ({ recording: plan.names[item], fold: f, scores, durationSec, hopSec, windowSec: experiment.feature.clipSec });
  outcomes.forEach((o, f) => {
    jobs[f].outerValIdx.forEach((i, j) => {
      const c = dataset.clips[i];
      oof.push({ file: c.file, group: c.group, label: c.label, score: o.outerValScores[j], fold: f });
    });
    // the threshold is a clip threshold: the inner validation clips only (field windows come after them);
    // without clips, the inner validation windows of the annotated recordings
    if (plan.clipless) {
      innerLabels.push(...o.innerValLabels);
      innerScores.push(...o.innerValScores);
    } else {
      jobs[f].innerValIdx.forEach((i, j) => {
        innerLabels.push(dataset.clips[i].label);
        innerScores.push(o.innerValScores[j]);
      });
    }
    jobs[f].score.forEach((item, j) => tracks.push(oofTrack(item, f, o.tracks[j], field!.data.recordings[item].durationSec)));
  });
  oof.sort((a, b) => a.file.localeCompare(b.file));
  tracks.sort((a, b) => a.recording.localeCompare(b.recording));
  const degradedTracks = (field?.degraded ?? []).map((d, k) => ({
    name: d.name,
    tracks: outcomes
      .flatMap((o, f) =>
        jobs[f].score.flatMap((item, j) => {
          const scores = o.degradedTracks[k]?.[j];
          return scores ? [oofTrack(item, f, scores, d.data.recordings[d.item[item]].durationSec)] : [];
        }),
      )
      .sort((a, b) => a.recording.localeCompare(b.recording)),
  }));
  return { oof, innerLabels, innerScores, tracks, degradedTracks };
}

export async function crossValidate(dataset: ClipDataset, experiment: ExperimentConfig, opts: CrossValidationOptions = {}): Promise<CrossValidationResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const cfg = experiment.train;
  const plan = planCrossValidation(dataset, experiment, opts.field, log);
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const started = Date.now();

  const foldProgress = new Progress('training folds', plan.folds.length);
  let done = 0;
  const run = jobRunner(plan, cfg, concurrency, foldProgress, () => done, log);
  const jobs = foldJobs(plan, dataset, experiment, opts);
  // The final model trains on everything. Without early stopping its epoch count is known now, so
  // it joins the pool (5 folds + final on 2 workers: 3 full rounds, no core idle at the end).
  const finalJob = finalJobOf(plan, dataset, experiment, opts);
  const finalInPool = finalJob !== null && !cfg.earlyStopping;
  const describeFinal = (epochs: number) =>
    log(
      `final model: all ${dataset.clips.length} clips${finalJob!.fieldTrain.length ? ` and ${finalJob!.fieldTrain.length} labelled field recordings` : ''}, ` +
        `${epochs} epochs (${cfg.earlyStopping ? 'median best epoch of the folds' : "the folds' recipe"})${finalInPool ? ', trained beside the folds' : ''}`,
    );
  if (finalInPool) describeFinal(cfg.maxEpochs);
  const pooled = await runPool(finalInPool ? [...jobs, finalJob!] : jobs, concurrency, async (job) => {
    const outcome = await run(job);
    if (job.kind === 'fold') foldProgress.update(++done, `| fold ${job.fold + 1} done in ${outcome.seconds.toFixed(0)}s, best epoch ${outcome.bestEpoch}`);
    else log(`final model done in ${outcome.seconds.toFixed(0)}s`);
    return outcome;
  });
  const outcomes = pooled.slice(0, jobs.length);
  const { oof, innerLabels, innerScores, tracks, degradedTracks } = collectOutcomes(plan, dataset, experiment, opts.field, jobs, outcomes);

  const clipless = plan.clipless;
  const bothClasses = innerLabels.some((l) => l >= 0.5) && innerLabels.some((l) => l < 0.5);
  if (!bothClasses) log(`threshold: 0.5 (no inner validation examples of both classes: too few training ${clipless ? 'recordings' : 'source groups'} per fold to hold one back)`);
  const threshold = bothClasses ? chooseThreshold(innerLabels, innerScores, { metric: cfg.thresholdMetric }) : 0.5;
  const finalEpochs = cfg.earlyStopping ? Math.max(1, median(outcomes.map((o) => o.bestEpoch))) : cfg.maxEpochs;

  let final: FoldOutcome | null = null;
  if (finalJob) {
    if (finalInPool) final = pooled[jobs.length];
    else {
      describeFinal(finalEpochs);
      // the final model trains alone: let its wasm use every worker's core
      final = await run({ ...finalJob, epochs: finalEpochs, wasmThreads: concurrency > 1 ? concurrency : undefined });
    }
    updateModelMeta(opts.modelDir!, { threshold });
    log(`final model saved to ${opts.modelDir} with the ${clipless ? 'window' : 'clip'} threshold ${threshold.toFixed(3)} (${bothClasses ? `chosen on the folds' inner validation ${clipless ? 'windows' : 'clips'}` : 'the default: no inner validation set'})`);
  }

  const named = (idx: readonly number[]) => idx.map((i) => plan.names[i]).sort();
  return {
    folds: plan.folds,
    histories: outcomes.map((o) => ({ fold: o.fold, epochs: o.history, bestEpoch: o.bestEpoch })),
    oof,
    tracks,
    degradedTracks,
    threshold,
    finalEpochs,
    final,
    backend: outcomes[0]?.backend ?? 'unknown',
    params: outcomes[0]?.params ?? 0,
    trainSeconds: (Date.now() - started) / 1000,
    examplesPerEpoch: outcomes[0]?.examplesPerEpoch ?? 0,
    fieldFolds: jobs.map((j) => ({ fold: j.fold, train: named(j.fieldTrain), innerValidation: named(j.fieldInnerVal), background: experiment.augment.background.enabled ? named(j.background) : [], scored: named(j.score) })),
  };
}
