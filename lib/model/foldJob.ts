/**
 * One training job of a cross-validation: train a fresh model on a fold's training clips (early
 * stopping on a group-disjoint inner validation set), score the inner validation clips (for the
 * threshold) and the outer validation clips (out-of-fold predictions). The 'final' job trains on
 * every clip for a fixed number of epochs and saves the model. Runs in a worker or in-process.
 */
import { basename } from 'node:path';
import { createAugmenter } from '../data/augment.ts';
import { needsWaveforms, type AugmentConfig } from '../data/augment-config.ts';
import type { ClipLabel, ClipRecord } from '../data/dataset.ts';
import { clipMatrix, type ClipDataset } from '../data/load.ts';
import { foldSets } from '../data/subsets.ts';
import { configureFeatures } from '../features/extractor.ts';
import { buildModel } from './architectures/index.ts';
import { selectBackend, type BackendName } from './backend/select.ts';
import type { ExperimentConfig } from './experimentConfig.ts';
import { saveModel, type ModelMeta } from './io.ts';
import { predictScores, trainClassifier, type EpochRecord } from './train.ts';
import { stackSet, type LabelledSet } from './tensorData.ts';

/** The loaded clips in plain, transferable form (features and waveforms in shared memory). */
export interface SharedClips {
  files: string[];
  groups: string[];
  labels: ClipLabel[];
  /** Row-major [n, frames, bins]. */
  features: Float32Array;
  shape: [number, number, number];
  /** Row-major [n, clipSamples] when waveform augmentation is on. */
  waveforms?: Float32Array;
  clipSamples: number;
}

export interface FoldJob {
  kind: 'fold' | 'final';
  fold: number;
  trainIdx: number[];
  innerValIdx: number[];
  outerValIdx: number[];
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
  innerValScores: number[];
  outerValScores: number[];
  seconds: number;
  backend: string;
  params: number;
}

function asDataset(clips: SharedClips, experiment: ExperimentConfig): ClipDataset {
  const [n] = clips.shape;
  const records: ClipRecord[] = clips.files.map((file, i) => ({
    file,
    name: basename(file),
    label: clips.labels[i],
    group: clips.groups[i],
  }));
  const waveforms = clips.waveforms
    ? Array.from({ length: n }, (_, i) => clips.waveforms!.subarray(i * clips.clipSamples, (i + 1) * clips.clipSamples))
    : undefined;
  return { clips: records, features: clips.features, shape: clips.shape, waveforms, skipped: [], config: experiment.feature, stats: { decoded: 0, cacheHits: 0, seconds: 0 } };
}

function epochSource(clips: SharedClips, job: FoldJob, train: LabelledSet): ((epoch: number) => LabelledSet) | undefined {
  const augment: AugmentConfig = job.experiment.augment;
  const on = needsWaveforms(augment) || augment.timeMask.enabled || augment.freqMask.enabled || augment.mixup.enabled;
  if (!on) return undefined;
  if (needsWaveforms(augment) && !clips.waveforms) throw new Error('augmentation needs waveforms but none were loaded');
  const ds = asDataset(clips, job.experiment);
  const trainSet = new Set(job.trainIdx);
  const rest = Array.from({ length: clips.shape[0] }, (_, i) => i).filter((i) => !trainSet.has(i));
  const { train: trainingFold } = foldSets(ds, { index: job.fold, train: job.trainIdx, validation: rest });
  const augmenter = createAugmenter(trainingFold, configureFeatures(job.experiment.feature), {
    ...augment,
    seed: augment.seed + 1000 * (job.fold + 1),
  });
  const positions = Array.from({ length: job.trainIdx.length }, (_, i) => i);
  return () => {
    const batch = augmenter.batch(positions);
    return { x: batch.features, y: batch.labels, n: train.n, frames: train.frames, bins: train.bins };
  };
}

export async function runFoldJob(clips: SharedClips, job: FoldJob, onProgress?: (p: FoldProgress) => void): Promise<FoldOutcome> {
  const started = Date.now();
  const backend = await selectBackend({ force: job.backend, allowCpuTraining: job.allowCpuTraining, wasmThreads: job.wasmThreads, log: () => {} });
  const [, frames, bins] = clips.shape;
  const all = Array.from({ length: clips.shape[0] }, (_, i) => clipMatrix(clips, i));
  const train = stackSet(all, clips.labels, job.trainIdx);
  const innerVal = job.innerValIdx.length ? stackSet(all, clips.labels, job.innerValIdx) : null;
  const cfg = job.experiment.train;
  const model = buildModel(cfg.model, [frames, bins], { seed: cfg.seed + job.fold });
  const maxEpochs = job.epochs ?? cfg.maxEpochs;
  try {
    const result = await trainClassifier(
      model,
      train,
      job.kind === 'fold' ? innerVal : null,
      cfg,
      {
        epochData: epochSource(clips, job, train),
        onBatch: (epoch, batch, batches, loss) =>
          onProgress?.({ fold: job.fold, kind: job.kind, epoch, maxEpochs, batch, batches, loss }),
        onEpoch: (record) =>
          onProgress?.({ fold: job.fold, kind: job.kind, epoch: record.epoch, maxEpochs, batch: 0, batches: 0, loss: record.loss, record }),
      },
      maxEpochs,
    );
    const innerValScores = innerVal ? Array.from(predictScores(model, innerVal)) : [];
    const outerValScores = job.outerValIdx.length ? Array.from(predictScores(model, stackSet(all, clips.labels, job.outerValIdx))) : [];
    if (job.save) {
      await saveModel(job.save.dir, model, { ...job.save.meta, backend: backend.name, epochs: result.history.length });
    }
    return {
      fold: job.fold,
      kind: job.kind,
      history: result.history,
      bestEpoch: result.bestEpoch,
      innerValScores,
      outerValScores,
      seconds: (Date.now() - started) / 1000,
      backend: backend.name,
      params: model.countParams(),
    };
  } finally {
    model.dispose();
  }
}
