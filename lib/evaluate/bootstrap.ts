/** Percentile bootstrap confidence intervals with a seeded PRNG. */
import { z } from 'zod';
import { mulberry32 } from '../util/random.ts';
import { checkBinary, parseOptions, type Labels, type Scores } from './validate.ts';

export { mulberry32 };

/** A metric over (labels, scores), e.g. rocAuc or (l, s) => f1(confusion(l, s, t)). */
export type MetricFn = (labels: Uint8Array, scores: Float64Array) => number;

export const BootstrapOptionsSchema = z.object({
  n: z.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be in [1, 100000]').max(100000, 'must be in [1, 100000]').default(1000),
  seed: z.number({ message: 'must be a number' }).int('must be an integer').default(0),
  alpha: z.number({ message: 'must be a number' }).gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)').default(0.05),
  stratified: z.boolean({ message: 'must be true or false' }).default(true),
  /**
   * The source group of each example: resample whole groups (a cluster bootstrap), so the interval
   * reflects how many independent recordings the data has, not how many clips were cut from them.
   */
  groups: z.array(z.string()).optional(),
});
export type BootstrapOptions = z.input<typeof BootstrapOptionsSchema>;

export interface Interval {
  /** The metric on the full data. */
  value: number;
  /** Lower and upper percentile bounds, (alpha/2, 1 − alpha/2). */
  lo: number;
  hi: number;
  /** Resamples that produced a finite value (plain resamples with one class are skipped). */
  n: number;
}


/** The q-quantile of sorted values with linear interpolation (numpy's default, "type 7"). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap for several metrics at once, all on the SAME resamples (paired).
 * stratified (default): positives and negatives are resampled separately, keeping the class counts,
 * so every resample has both classes (AUCs always defined). Plain: clips resampled together; resamples
 * where a metric throws or is not finite (e.g. one class only) are skipped and counted out of `n`.
 */
export function bootstrapMany<K extends string>(
  labels: Labels,
  scores: Scores,
  metrics: Record<K, MetricFn>,
  options?: BootstrapOptions,
): Record<K, Interval> {
  checkBinary(labels, scores, 'bootstrap');
  const opts = parseOptions(BootstrapOptionsSchema, options, 'bootstrap');
  const size = labels.length;
  const allLabels = Uint8Array.from(labels);
  const allScores = Float64Array.from(scores);
  const names = Object.keys(metrics) as K[];
  if (opts.groups) {
    if (opts.groups.length !== size) throw new Error(`bootstrap: groups has ${opts.groups.length} entries for ${size} examples`);
    return groupBootstrap(allLabels, allScores, opts.groups, metrics, names, opts);
  }
  const groups = opts.stratified
    ? [0, 1].map((c) => [...allLabels.keys()].filter((i) => allLabels[i] === c)).filter((g) => g.length > 0)
    : [[...allLabels.keys()]];
  const random = mulberry32(opts.seed);
  const samples = new Map<K, number[]>(names.map((k) => [k, []]));
  const l = new Uint8Array(size);
  const s = new Float64Array(size);
  for (let r = 0; r < opts.n; r++) {
    let j = 0;
    for (const g of groups) {
      for (let t = 0; t < g.length; t++) {
        const i = g[Math.floor(random() * g.length)];
        l[j] = allLabels[i];
        s[j++] = allScores[i];
      }
    }
    record(names, metrics, l, s, samples);
  }
  return intervals(names, samples, metrics, allLabels, allScores, opts.alpha);
}

/** Every metric of one resample, kept when it is defined (a throw or a non-finite value is skipped). */
function record<K extends string>(names: K[], metrics: Record<K, MetricFn>, l: Uint8Array, s: Float64Array, samples: Map<K, number[]>): void {
  for (const k of names) {
    let v: number;
    try {
      v = metrics[k](l, s);
    } catch {
      continue;
    }
    if (Number.isFinite(v)) samples.get(k)!.push(v);
  }
}

function intervals<K extends string>(names: K[], samples: Map<K, number[]>, metrics: Record<K, MetricFn>, l: Uint8Array, s: Float64Array, alpha: number): Record<K, Interval> {
  const out = {} as Record<K, Interval>;
  for (const k of names) {
    const values = Float64Array.from(samples.get(k)!).sort();
    const value = metrics[k](l, s);
    out[k] = values.length === 0 ? { value, lo: NaN, hi: NaN, n: 0 } : { value, lo: quantileSorted(values, alpha / 2), hi: quantileSorted(values, 1 - alpha / 2), n: values.length };
  }
  return out;
}

/** Resample groups with replacement; stratified: groups holding a positive and the others separately. */
function groupBootstrap<K extends string>(
  labels: Uint8Array,
  scores: Float64Array,
  groupOf: readonly string[],
  metrics: Record<K, MetricFn>,
  names: K[],
  opts: { n: number; seed: number; alpha: number; stratified: boolean },
): Record<K, Interval> {
  const members = new Map<string, number[]>();
  groupOf.forEach((g, i) => (members.get(g) ?? members.set(g, []).get(g)!).push(i));
  const units = [...members.values()];
  const strata = opts.stratified ? [units.filter((u) => u.some((i) => labels[i] === 1)), units.filter((u) => u.every((i) => labels[i] === 0))].filter((s) => s.length > 0) : [units];
  const random = mulberry32(opts.seed);
  const samples = new Map<K, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < opts.n; r++) {
    const picked: number[] = [];
    for (const stratum of strata) for (let t = 0; t < stratum.length; t++) picked.push(...stratum[Math.floor(random() * stratum.length)]);
    const l = Uint8Array.from(picked, (i) => labels[i]);
    const s = Float64Array.from(picked, (i) => scores[i]);
    record(names, metrics, l, s, samples);
  }
  return intervals(names, samples, metrics, labels, scores, opts.alpha);
}

/** Percentile bootstrap CI of one metric; see bootstrapMany for stratified vs plain. */
export function bootstrapCi(labels: Labels, scores: Scores, metricFn: MetricFn, options?: BootstrapOptions): Interval {
  return bootstrapMany(labels, scores, { metric: metricFn }, options).metric;
}
