/**
 * The data side of a cross-validation: the group-disjoint inner validation split of a fold, the
 * folds of the field recordings, and the loaded data in the transferable form the fold jobs get.
 */
import type { FieldLabels } from '../data/field.ts';
import { fieldWindowOptions, fieldWindowRanges } from '../data/field.ts';
import { shareFrames } from '../data/frames.ts';
import type { ClipDataset } from '../data/load.ts';
import { stratifiedGroupKFold } from '../data/split.ts';
import { featureShape, framesPerSec } from '../features/config.ts';
import { createRng } from '../util/random.ts';
import { toShared } from '../util/workers.ts';
import type { FieldInputs } from './crossValidate.ts';
import type { ExperimentConfig } from './experimentConfig.ts';
import type { SharedClips } from './foldJob.ts';

/**
 * Below this many source groups of a class in a training fold, holding one out for the inner validation set would
 * cost a fifth or more of the class's sources (two or three sites: a half or a third): without early stopping,
 * which alone needs it, the fold then trains on all of them and the clip threshold is the default 0.5.
 */
export const MIN_INNER_GROUPS = 5;

/**
 * Split a fold's training clips into inner-train and a group-disjoint inner validation set (for early stopping,
 * the clip threshold and the validation curves). Without early stopping (`required` false) and fewer than
 * MIN_INNER_GROUPS groups of a class, none is held out.
 */
export function innerSplit(dataset: ClipDataset, trainIdx: readonly number[], fraction: number, seed: number, required = true): { train: number[]; validation: number[] } {
  const items = trainIdx.map((i) => dataset.clips[i]);
  const groupsPerClass = [0, 1].map((c) => new Set(items.filter((x) => x.label === c).map((x) => x.group)).size);
  if (!required && Math.min(...groupsPerClass) < MIN_INNER_GROUPS) return { train: [...trainIdx], validation: [] };
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

/**
 * Fold of each field recording: round robin over a seeded shuffle, recordings with more labelled
 * calls dealt first when labels train, so that every fold gets its share of calls.
 */
export function fieldFolds(names: readonly string[], k: number, seed: number, labels?: FieldLabels): number[] {
  const order = createRng(seed).shuffle(names.map((_, i) => i));
  if (labels) order.sort((a, b) => (labels.get(names[b])?.length ?? -1) - (labels.get(names[a])?.length ?? -1));
  const fold = new Array<number>(names.length);
  order.forEach((item, rank) => (fold[item] = rank % k));
  return fold;
}

/** What one fold does with the field recordings (indices into the recordings' list). */
export interface FieldFoldPlan {
  /** Labelled recordings whose windows train, and those held back as the fold's inner validation windows. */
  train: number[];
  innerValidation: number[];
  /** Recordings whose sound may be mixed into training examples (used only when background mixing is on). */
  background: number[];
  /** The fold's own recordings: scored whole, out of fold, for the detector; never trained on or mixed from. */
  score: number[];
}

/**
 * The field side of fold `fold`: its own recordings (recFold) are only scored; the others train (labelled ones)
 * and give background, less a seeded share of the labelled ones held back for inner validation.
 */
export function planFieldFold(fold: number, recFold: readonly number[], labelled: readonly boolean[], innerFraction: number, seed: number): FieldFoldPlan {
  const items = recFold.map((_, i) => i);
  const trainRecs = items.filter((i) => recFold[i] !== fold);
  const labelledTrain = trainRecs.filter((i) => labelled[i]);
  const inner = new Set(createRng(seed + 97 * fold).shuffle([...labelledTrain]).slice(0, Math.round(labelledTrain.length * innerFraction)));
  return {
    train: labelledTrain.filter((i) => !inner.has(i)),
    innerValidation: [...inner],
    background: trainRecs.filter((i) => !inner.has(i)),
    score: items.filter((i) => recFold[i] === fold),
  };
}

/**
 * The data set and field recordings in shared memory, with each labelled recording's window ranges (hard
 * negatives included) and, for every recording, where background may be drawn: anywhere in an unlabelled one,
 * only the windows that overlap no call in a labelled one.
 */
export function sharedData(dataset: ClipDataset, field: FieldInputs | undefined, experiment: ExperimentConfig): SharedClips {
  const fps = framesPerSec(experiment.feature);
  const [F] = featureShape(experiment.feature);
  const opts = fieldWindowOptions(experiment.target);
  // rows of recordings framed with silence around them start leadSec before the recording
  const lead = field?.data.leadSec ?? 0;
  const shift = (spans: readonly { start_s: number; end_s: number }[] | undefined) => spans?.map((c) => ({ start_s: c.start_s + lead, end_s: c.end_s + lead }));
  const ranges = field?.data.recordings.map((r) => {
    const calls = shift(field.labels?.get(r.name));
    return calls ? fieldWindowRanges(r.rows, F, fps, calls, opts, shift(field.rejected?.get(r.name))) : null;
  });
  return {
    files: dataset.clips.map((c) => c.file),
    groups: dataset.clips.map((c) => c.group),
    labels: dataset.clips.map((c) => c.label),
    features: toShared(dataset.features),
    shape: dataset.shape,
    clipFrames: dataset.frames ? shareFrames(dataset.frames) : undefined,
    field: field && {
      frames: shareFrames(field.data.frames),
      endWindows: shareFrames(field.data.endWindows),
      degraded: (field.degraded ?? []).map((d) => ({ frames: shareFrames(d.data.frames), endWindows: shareFrames(d.data.endWindows), item: d.item })),
      names: field.data.recordings.map((r) => r.name),
      ranges: ranges!,
      background: field.data.recordings.map((r, i) => ranges![i]?.background ?? (r.rows >= F ? [[0, r.rows - F] as [number, number]] : [])),
    },
  };
}
