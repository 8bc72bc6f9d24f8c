/**
 * One training job of a cross-validation: train a fresh model on a fold's training clips (and, in
 * the `field` configuration, on windows of its training field recordings), early-stopping on a
 * group-disjoint inner validation set; score the inner validation examples (for the threshold),
 * the outer validation clips (out-of-fold predictions) and the fold's held-out field recordings
 * whole (out-of-fold score tracks, for tuning the detector). The 'final' job trains on everything
 * for a fixed number of epochs and saves the model. Runs in a worker or in-process.
 */
import { basename } from 'node:path';
import { augments } from '../data/augmentConfig.ts';
import { clipSpecs, createAugmenter, type ExampleSpec } from '../data/augment.ts';
import type { ClipLabel, ClipRecord } from '../data/dataset.ts';
import { sampleFieldSpecs } from '../data/epoch.ts';
import { fixedFieldWindows, type FieldWindowRanges } from '../data/field.ts';
import { frameView, type FrameStore } from '../data/frames.ts';
import { clipMatrix, type ClipDataset } from '../data/load.ts';
import { foldSets } from '../data/subsets.ts';
import { framesPerSec } from '../features/config.ts';
import { configureFeatures, type FeatureExtractor } from '../features/extractor.ts';
import { createRng } from '../util/random.ts';
import { buildModel } from './architectures/index.ts';
import { selectBackend, type BackendName } from './backend/select.ts';
import type { ExperimentConfig } from './experimentConfig.ts';
import { saveModel, type ModelMeta } from './io.ts';
import { scoreFieldRecording } from './scoreWindows.ts';
import { predictScores, trainClassifier, type EpochRecord } from './train.ts';
import { stackSet, type LabelledSet } from './tensorData.ts';

/** The loaded data in plain, transferable form (large arrays in shared memory). */
export interface SharedClips {
  files: string[];
  groups: string[];
  labels: ClipLabel[];
  /** Row-major [n, frames, bins]: each clip's un-augmented features. */
  features: Float32Array;
  shape: [number, number, number];
  /** Each clip's whole frame sequence, when augmentation works on frames. */
  clipFrames?: FrameStore;
  /**
   * Field recordings' frames; `ranges[i]` is set for the labelled ones (field configuration); `background[i]` the
   * start rows where background may be drawn from item i (never on a labelled call).
   */
  field?: {
    frames: FrameStore;
    endWindows: FrameStore;
    names: string[];
    ranges: (FieldWindowRanges | null)[];
    background: [number, number][][];
    /** Degraded copies: item[i] is field recording i's copy in `frames`/`endWindows`, or −1. */
    degraded: { frames: FrameStore; endWindows: FrameStore; item: number[] }[];
  };
}

export interface FoldJob {
  kind: 'fold' | 'final';
  fold: number;
  trainIdx: number[];
  innerValIdx: number[];
  outerValIdx: number[];
  /** Labelled field recordings (items of `field.frames`) to train on, and to validate on (fixed windows). */
  fieldTrain: number[];
  fieldInnerVal: number[];
  /** Field recordings whose windows this job may mix clips into. */
  background: number[];
  /** Field recordings to score whole after training, a window every `hopFrames` frames. */
  score: number[];
  hopFrames: number;
  experiment: ExperimentConfig;
  /** For 'final': exactly this many epochs. */
  epochs?: number;
  /** For 'final': where to save the model, and its meta. */
  save?: { dir: string; meta: Omit<ModelMeta, 'backend' | 'epochs'> };
  backend?: BackendName;
  allowCpuTraining?: boolean;
  /** wasm threads for this job (default: 1 in a worker, where jobs already run side by side). */
  wasmThreads?: number;
}

export interface FoldProgress {
  fold: number;
  kind: FoldJob['kind'];
  epoch: number;
  maxEpochs: number;
  batch: number;
  batches: number;
  loss: number;
  record?: EpochRecord;
}

export interface FoldOutcome {
  fold: number;
  kind: FoldJob['kind'];
  history: EpochRecord[];
  bestEpoch: number;
  /** Scores of the inner validation examples: clips (in innerValIdx order), then field windows. */
  innerValScores: number[];
  innerValLabels: number[];
  outerValScores: number[];
  /** Whole-recording score tracks of `job.score`, in order. */
  tracks: Float32Array[];
  /** Per degradation (SharedClips.field.degraded), the tracks of `job.score`'s degraded copies (null: no copy). */
  degradedTracks: (Float32Array | null)[][];
  seconds: number;
  backend: string;
  params: number;
  /** Examples per epoch and the augmentation cost. */
  examplesPerEpoch: number;
  augmentMs: number;
}

function asDataset(clips: SharedClips, experiment: ExperimentConfig): ClipDataset {
  const records: ClipRecord[] = clips.files.map((file, i) => ({ file, name: basename(file), label: clips.labels[i], group: clips.groups[i] }));
  return {
    clips: records,
    features: clips.features,
    shape: clips.shape,
    frames: clips.clipFrames,
    skipped: [],
    config: experiment.feature,
    stats: { decoded: 0, cacheHits: 0, seconds: 0 },
  };
}

/** Finished features of fixed windows of field recordings. */
function fieldWindowSet(clips: SharedClips, extractor: FeatureExtractor, items: readonly number[], stepSec: number): LabelledSet | null {
  if (!clips.field || items.length === 0) return null;
  const [F, bins] = extractor.shape;
  const fps = framesPerSec(extractor.config);
  const windows = items.flatMap((item) => fixedFieldWindows(clips.field!.ranges[item]!, fps, stepSec).map((w) => ({ ...w, item })));
  const x = new Float32Array(windows.length * F * bins);
  const y = new Float32Array(windows.length);
  windows.forEach((w, k) => {
    const src = frameView(clips.field!.frames, w.item);
    x.set(extractor.finalize({ data: src.data.subarray(w.start * src.cols, (w.start + F) * src.cols), rows: F, cols: src.cols }).data, k * F * bins);
    y[k] = w.label;
  });
  return { x, y, n: windows.length, frames: F, bins };
}

function concatSets(a: LabelledSet | null, b: LabelledSet | null): LabelledSet | null {
  if (!a || !b) return a ?? b;
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Float32Array(a.n + b.n);
  y.set(a.y);
  y.set(b.y, a.n);
  return { x, y, n: a.n + b.n, frames: a.frames, bins: a.bins };
}

/** The function that makes each epoch's training set, and the un-augmented set it starts from. */
function epochSource(clips: SharedClips, job: FoldJob, extractor: FeatureExtractor, base: LabelledSet) {
  const exp = job.experiment;
  const fieldOn = job.fieldTrain.length > 0;
  if (!augments(exp.augment) && !fieldOn) return { data: undefined, stats: null };
  const ds = asDataset(clips, exp);
  const trainSet = new Set(job.trainIdx);
  const rest = Array.from({ length: clips.shape[0] }, (_, i) => i).filter((i) => !trainSet.has(i));
  const { train } = foldSets(ds, { index: job.fold, train: job.trainIdx, validation: rest });
  const augmenter = createAugmenter(train, extractor, { ...exp.augment, seed: exp.augment.seed + 1000 * (job.fold + 1) }, {
    clipFrames: clips.clipFrames,
    field: clips.field && fieldOn ? { frames: clips.field.frames, items: job.fieldTrain } : undefined,
    background: clips.field && exp.augment.background.enabled ? { frames: clips.field.frames, items: job.background, starts: job.background.map((i) => clips.field!.background[i]) } : undefined,
  });
  const rng = createRng(exp.train.seed * 31 + job.fold);
  const fieldPlan = fieldOn
    ? {
        items: job.fieldTrain,
        ranges: job.fieldTrain.map((i) => clips.field!.ranges[i]!),
        positivesPerCall: exp.field.positivesPerCall,
        negativesPerRecording: exp.field.negativesPerRecording,
        hardNegativesPerDetection: exp.field.hardNegativesPerDetection,
      }
    : null;
  const data = () => {
    const specs: ExampleSpec[] = [...clipSpecs(train), ...(fieldPlan ? sampleFieldSpecs(fieldPlan, rng) : [])];
    const batch = augmenter.batch(specs);
    return { x: batch.features, y: batch.labels, n: specs.length, frames: base.frames, bins: base.bins };
  };
  return { data, stats: augmenter.stats };
}

export async function runFoldJob(clips: SharedClips, job: FoldJob, onProgress?: (p: FoldProgress) => void): Promise<FoldOutcome> {
  const started = Date.now();
  const backend = await selectBackend({ force: job.backend, allowCpuTraining: job.allowCpuTraining, wasmThreads: job.wasmThreads, log: () => {} });
  const [, frames, bins] = clips.shape;
  const exp = job.experiment;
  const extractor = configureFeatures(exp.feature);
  const all = Array.from({ length: clips.shape[0] }, (_, i) => clipMatrix(clips, i));
  const clipTrain = job.trainIdx.length ? stackSet(all, clips.labels, job.trainIdx) : null;
  const innerClips = job.innerValIdx.length ? stackSet(all, clips.labels, job.innerValIdx) : null;
  const innerVal = job.kind === 'fold' ? concatSets(innerClips, fieldWindowSet(clips, extractor, job.fieldInnerVal, exp.field.validationStepSec)) : null;
  const base = concatSets(clipTrain, fieldWindowSet(clips, extractor, job.fieldTrain, exp.field.validationStepSec));
  if (!base) throw new Error(`capuchin: ${job.kind === 'final' ? 'the final model' : `fold ${job.fold + 1}`} has nothing to train on (no clips, no annotated recordings on its training side)`);
  const cfg = exp.train;
  const model = buildModel(cfg.model, [frames, bins], { seed: cfg.seed + job.fold });
  const maxEpochs = job.epochs ?? cfg.maxEpochs;
  const source = epochSource(clips, job, extractor, base);
  let examplesPerEpoch = base.n;
  try {
    const result = await trainClassifier(
      model,
      base,
      innerVal,
      cfg,
      {
        epochData: source.data
          ? (epoch) => {
              const set = source.data!();
              examplesPerEpoch = set.n;
              return set;
            }
          : undefined,
        onBatch: (epoch, batch, batches, loss) => onProgress?.({ fold: job.fold, kind: job.kind, epoch, maxEpochs, batch, batches, loss }),
        onEpoch: (record) => onProgress?.({ fold: job.fold, kind: job.kind, epoch: record.epoch, maxEpochs, batch: 0, batches: 0, loss: record.loss, record }),
      },
      maxEpochs,
    );
    const innerValScores = innerVal ? Array.from(predictScores(model, innerVal)) : [];
    const outerValScores = job.outerValIdx.length ? Array.from(predictScores(model, stackSet(all, clips.labels, job.outerValIdx))) : [];
    const tracks = job.score.map((item) => scoreFieldRecording(model, extractor, frameView(clips.field!.frames, item), frameView(clips.field!.endWindows, item), job.hopFrames));
    const degradedTracks = (job.score.length ? (clips.field?.degraded ?? []) : []).map((d) =>
      job.score.map((item) => (d.item[item] < 0 ? null : scoreFieldRecording(model, extractor, frameView(d.frames, d.item[item]), frameView(d.endWindows, d.item[item]), job.hopFrames))),
    );
    if (job.save) await saveModel(job.save.dir, model, { ...job.save.meta, backend: backend.name, epochs: result.history.length });
    return {
      fold: job.fold,
      kind: job.kind,
      history: result.history,
      bestEpoch: result.bestEpoch,
      innerValScores,
      innerValLabels: innerVal ? Array.from(innerVal.y) : [],
      outerValScores,
      tracks,
      degradedTracks,
      seconds: (Date.now() - started) / 1000,
      backend: backend.name,
      params: model.countParams(),
      examplesPerEpoch,
      augmentMs: source.stats?.ms ?? 0,
    };
  } finally {
    model.dispose();
  }
}
