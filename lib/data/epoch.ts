/**
 * What one training epoch is made of: every training clip once, plus (in the `field`
 * configuration) windows drawn afresh from the labelled field recordings each epoch: a few random
 * windows on each call, a few random clear windows per recording, and a few random windows on each
 * detection a reviewer rejected (hard negatives).
 */
import type { ExampleSpec } from './augment.ts';
import type { FieldWindowRanges } from './field.ts';
import type { Rng } from '../util/random.ts';

export interface FieldSampling {
  /** Items (recordings) of the field frame store this job trains on. */
  items: readonly number[];
  /** Window start ranges of each item, aligned with `items`. */
  ranges: readonly FieldWindowRanges[];
  positivesPerCall: number;
  negativesPerRecording: number;
  /** Windows drawn on each rejected detection (`ranges[k].hard`); default 0. */
  hardNegativesPerDetection?: number;
}

/** A start row uniformly over the union of inclusive intervals. */
function sampleIntervals(intervals: readonly [number, number][], rng: Rng): number | null {
  const total = intervals.reduce((n, [a, b]) => n + (b - a + 1), 0);
  if (total <= 0) return null;
  let pick = rng.int(total);
  for (const [a, b] of intervals) {
    const len = b - a + 1;
    if (pick < len) return a + pick;
    pick -= len;
  }
  return null;
}

/** This epoch's field windows. */
export function sampleFieldSpecs(plan: FieldSampling, rng: Rng): ExampleSpec[] {
  const specs: ExampleSpec[] = [];
  plan.items.forEach((item, k) => {
    const r = plan.ranges[k];
    for (const interval of r.positives) {
      for (let j = 0; j < plan.positivesPerCall; j++) specs.push({ source: 'field', item, start: interval[0] + rng.int(interval[1] - interval[0] + 1), label: 1 });
    }
    for (let j = 0; j < plan.negativesPerRecording; j++) {
      const start = sampleIntervals(r.negatives, rng);
      if (start !== null) specs.push({ source: 'field', item, start, label: 0 });
    }
    for (const intervals of r.hard ?? []) {
      for (let j = 0; j < (plan.hardNegativesPerDetection ?? 0); j++) {
        const start = sampleIntervals(intervals, rng);
        if (start !== null) specs.push({ source: 'field', item, start, label: 0 });
      }
    }
  });
  return specs;
}
