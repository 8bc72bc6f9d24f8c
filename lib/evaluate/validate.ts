/** Input checks shared by every metric: clear errors instead of silent NaN. */
import type { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';

/** 0/1 labels (1 = Capuchinbird), e.g. a Uint8Array or number[]. */
export type Labels = ArrayLike<number>;
/** Classifier scores, higher = more likely positive (probabilities or logits). */
export type Scores = ArrayLike<number>;

/** Throws unless labels are 0/1, scores are finite and both have the same non-zero length. */
export function checkBinary(labels: Labels, scores: Scores, where: string): void {
  if (labels.length !== scores.length) {
    throw new Error(
      `capuchin: ${where}: labels has ${labels.length} entries but scores has ${scores.length}. ` +
        'Fix: pass one score per labelled clip, in the same order.',
    );
  }
  if (labels.length === 0) throw new Error(`capuchin: ${where}: no clips (empty labels). Fix: pass at least one clip.`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new Error(`capuchin: ${where}: labels[${i}] is ${labels[i]}, expected 0 or 1. Fix: use 1 for Capuchinbird, 0 otherwise.`);
    }
    if (!Number.isFinite(scores[i])) {
      throw new Error(`capuchin: ${where}: scores[${i}] is ${scores[i]}, expected a finite number. Fix: check the model output for NaN/Inf.`);
    }
  }
}

/** Counts of positive and negative labels. */
export function classCounts(labels: Labels): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i];
  return { pos, neg: labels.length - pos };
}

/** Throws unless both classes are present (ROC AUC / average precision are undefined otherwise). */
export function requireBothClasses(labels: Labels, where: string): { pos: number; neg: number } {
  const counts = classCounts(labels);
  if (counts.pos === 0 || counts.neg === 0) {
    throw new Error(
      `capuchin: ${where}: needs both classes but got ${counts.pos} positive and ${counts.neg} negative clips. ` +
        'Fix: evaluate on a set that holds Capuchinbird and non-Capuchinbird clips.',
    );
  }
  return counts;
}

/** Validate an options object with zod; the error names each bad field and what is allowed. */
export function parseOptions<T extends z.ZodTypeAny>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new Error(`capuchin: ${where}: bad options: ${formatZodIssues(result.error, { root: '(options)', input: value })}`);
  }
  return result.data;
}
