/** Confusion counts at a threshold and the metrics derived from them. */
import { checkBinary, type Labels, type Scores } from './validate.ts';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Confusion counts when a clip is called positive iff `score >= threshold` (sklearn's convention). */
export function confusion(labels: Labels, scores: Scores, threshold: number): Confusion {
  checkBinary(labels, scores, 'confusion');
  if (Number.isNaN(threshold)) throw new Error('capuchin: confusion: threshold is NaN. Fix: pass a number.');
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) predicted ? c.tp++ : c.fn++;
    else predicted ? c.fp++ : c.tn++;
  }
  return c;
}

/** Confusion counts from hard 0/1 predictions. */
export function confusionFromPredictions(labels: Labels, predictions: Labels): Confusion {
  checkBinary(labels, predictions, 'confusionFromPredictions');
  for (let i = 0; i < predictions.length; i++) {
    if (predictions[i] !== 0 && predictions[i] !== 1) {
      throw new Error(`capuchin: confusionFromPredictions: predictions[${i}] is ${predictions[i]}, expected 0 or 1. Fix: threshold scores first.`);
    }
  }
  return confusion(labels, predictions, 0.5);
}

/** tp / (tp + fp); 0 when nothing is predicted positive (sklearn's zero_division=0). */
export function precision(c: Confusion): number {
  return c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
}

/** tp / (tp + fn); 0 when there are no positives. */
export function recall(c: Confusion): number {
  return c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
}

/** 2tp / (2tp + fp + fn), the harmonic mean of precision and recall; 0 when undefined. */
export function f1(c: Confusion): number {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? 0 : (2 * c.tp) / d;
}

/** (tp + tn) / n. */
export function accuracy(c: Confusion): number {
  const n = c.tp + c.fp + c.tn + c.fn;
  return n === 0 ? 0 : (c.tp + c.tn) / n;
}

/** The 2×2 matrix in sklearn's layout: rows = true class [0, 1], columns = predicted class [0, 1]. */
export function confusionMatrix(c: Confusion): number[][] {
  return [
    [c.tn, c.fp],
    [c.fn, c.tp],
  ];
}
