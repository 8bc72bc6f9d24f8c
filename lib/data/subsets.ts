/**
 * One fold of a loaded data set as two typed views: a TrainingSet (the only thing augmentation
 * accepts) and a ValidationSet (batches only, never augmented). Batch positions index into the
 * view, so a training batch cannot reach a validation clip.
 */
import type { ClipRecord } from './dataset.ts';
import type { ClipDataset } from './load.ts';
import type { Fold } from './split.ts';

interface FoldView {
  /** Global indices into `dataset.clips`, ascending. */
  readonly indices: readonly number[];
  readonly dataset: ClipDataset;
  readonly fold: number;
  readonly clips: readonly ClipRecord[];
}

export interface TrainingSet extends FoldView {
  readonly kind: 'training';
}

export interface ValidationSet extends FoldView {
  readonly kind: 'validation';
}

export interface Batch {
  /** Row-major [size, frames, bins]. */
  features: Float32Array;
  /** One per example, in [0, 1] (soft after mixup). */
  labels: Float32Array;
  shape: [size: number, frames: number, bins: number];
  /** Global clip index of each example (before any mixup partner). */
  clipIndices: number[];
}

const genuineTrainingSets = new WeakSet<object>();

/** Splits a loaded data set by a fold computed on THE SAME clip list (`stratifiedGroupKFold(ds.clips)`). */
export function foldSets(dataset: ClipDataset, fold: Fold): { train: TrainingSet; validation: ValidationSet } {
  const n = dataset.clips.length;
  const all = [...fold.train, ...fold.validation];
  if (all.length !== n || new Set(all).size !== n || all.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
    throw new Error(
      `capuchin: fold ${fold.index} covers ${all.length} clip indices but the data set holds ${n} clips. ` +
        `Fix: compute the folds from the loaded clips (stratifiedGroupKFold(dataset.clips)), after skipped clips were removed.`,
    );
  }
  const view = (unsorted: readonly number[]) => {
    const indices = Object.freeze([...unsorted].sort((a, b) => a - b));
    return { indices, dataset, fold: fold.index, clips: Object.freeze(indices.map((i) => dataset.clips[i])) };
  };
  const train: TrainingSet = Object.freeze({ ...view(fold.train), kind: 'training' as const });
  const validation: ValidationSet = Object.freeze({ ...view(fold.validation), kind: 'validation' as const });
  genuineTrainingSets.add(train);
  return { train, validation };
}

/** Throws unless `set` is a TrainingSet made by {@link foldSets}; augmentation calls this first. */
export function assertTrainingSet(set: unknown): asserts set is TrainingSet {
  if (!set || typeof set !== 'object' || !genuineTrainingSets.has(set)) {
    const kind = set && typeof set === 'object' && 'kind' in set ? String((set as { kind: unknown }).kind) : typeof set;
    throw new Error(
      `capuchin: augmentation is for training folds only, got a ${kind} set. Fix: pass foldSets(...).train; ` +
        `use gatherBatch for validation.`,
    );
  }
}

/** The un-augmented batch at `positions` (indices into the set, 0 ≤ p < set.indices.length). */
export function gatherBatch(set: TrainingSet | ValidationSet, positions: readonly number[]): Batch {
  const clipIndices = positionsToClips(set, positions);
  const [, frames, bins] = set.dataset.shape;
  const size = frames * bins;
  const features = new Float32Array(positions.length * size);
  const labels = new Float32Array(positions.length);
  clipIndices.forEach((c, b) => {
    features.set(set.dataset.features.subarray(c * size, (c + 1) * size), b * size);
    labels[b] = set.dataset.clips[c].label;
  });
  return { features, labels, shape: [positions.length, frames, bins], clipIndices };
}

export function positionsToClips(set: FoldView, positions: readonly number[]): number[] {
  return positions.map((p) => {
    if (!Number.isInteger(p) || p < 0 || p >= set.indices.length) {
      throw new RangeError(`capuchin: batch position ${p} is outside the fold's ${set.indices.length} clips`);
    }
    return set.indices[p];
  });
}
