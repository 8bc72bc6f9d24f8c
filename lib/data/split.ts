/**
 * Stratified group k-fold: every source recording (group) sits in exactly one validation fold,
 * and the folds share out positives and negatives as evenly as the groups allow.
 *
 * The assignment is scikit-learn's StratifiedGroupKFold(shuffle=True) greedy algorithm
 * (sklearn/model_selection/_split.py): groups in name order are shuffled with the seed, stably
 * sorted by the spread (population std) of their class counts, largest first, and each goes to
 * the fold that, once it holds the group, gives the smallest mean over classes of the std across
 * folds of the fold's share of that class; ties go to the fold with fewer clips.
 * (The random stream differs from numpy's, so the folds differ from sklearn's for the same seed.)
 *
 * The greedy pass can leave a fold without any clip of a class, or visibly unbalanced, when
 * large groups hold both classes (random layouts do it; split.test.ts's property test draws 300 of
 * them). A local search then moves single groups and swaps pairs of groups between folds
 * while that lowers (empty (fold, class) cells, mean class-share std), in that order.
 */
import type { ClipLabel } from './dataset.ts';
import { createRng } from '../util/random.ts';

export interface SplitItem {
  readonly label: ClipLabel;
  readonly group: string;
}

export interface Fold {
  readonly index: number;
  /** Indices into the items, ascending. */
  readonly train: readonly number[];
  readonly validation: readonly number[];
}

export interface SplitOptions {
  /** Number of folds, ≥ 2 (default 5). */
  k?: number;
  /** Shuffle seed (default 42). */
  seed?: number;
}

export const DEFAULT_FOLDS = 5;
export const DEFAULT_SPLIT_SEED = 42;

const CLASSES: readonly ClipLabel[] = [0, 1];

export function stratifiedGroupKFold(items: readonly SplitItem[], opts: SplitOptions = {}): Fold[] {
  const k = opts.k ?? DEFAULT_FOLDS;
  const seed = opts.seed ?? DEFAULT_SPLIT_SEED;
  if (!Number.isInteger(k) || k < 2) throw new Error(`split: k (folds) must be an integer ≥ 2, got ${k}`);
  if (!Number.isInteger(seed)) throw new Error(`split: seed must be an integer, got ${seed}`);

  // Class counts per group.
  const countsByGroup = new Map<string, number[]>();
  for (const item of items) {
    if (item.label !== 0 && item.label !== 1) throw new Error(`split: label must be 0 or 1, got ${String(item.label)}`);
    let counts = countsByGroup.get(item.group);
    if (!counts) countsByGroup.set(item.group, (counts = [0, 0]));
    counts[item.label]++;
  }
  const classTotals = CLASSES.map((c) => items.filter((i) => i.label === c).length);
  for (const c of CLASSES) {
    const groupsWithClass = [...countsByGroup.values()].filter((n) => n[c] > 0).length;
    if (groupsWithClass < k) {
      throw new Error(
        `split: k=${k} folds need at least ${k} source groups holding ${c === 1 ? 'positive' : 'negative'} clips, ` +
          `found ${groupsWithClass} (${classTotals[c]} clips). Fix: use --folds ${Math.max(2, groupsWithClass)} or fewer, or add recordings.`,
      );
    }
  }

  const rng = createRng(seed);
  const groups = rng.shuffle([...countsByGroup.keys()].sort());
  const spread = (g: string): number => std(countsByGroup.get(g)!);
  // Array.prototype.sort is stable, as sklearn's mergesort argsort.
  const order = groups.map((g, i) => ({ g, i, s: spread(g) })).sort((a, b) => b.s - a.s || a.i - b.i);

  const foldCounts = Array.from({ length: k }, () => [0, 0]);
  const foldOfGroup = new Map<string, number>();
  for (const { g } of order) {
    const add = countsByGroup.get(g)!;
    let best = -1;
    let bestEval = Infinity;
    let bestSize = Infinity;
    for (let f = 0; f < k; f++) {
      let meanStd = 0;
      for (const c of CLASSES) {
        const shares = foldCounts.map((fc, i) => (fc[c] + (i === f ? add[c] : 0)) / classTotals[c]);
        meanStd += std(shares) / CLASSES.length;
      }
      const size = foldCounts[f][0] + foldCounts[f][1];
      const close = Math.abs(meanStd - bestEval) <= 1e-8 + 1e-5 * Math.abs(bestEval);
      if (meanStd < bestEval || (close && size < bestSize)) {
        best = f;
        bestEval = meanStd;
        bestSize = size;
      }
    }
    foldOfGroup.set(g, best);
    for (const c of CLASSES) foldCounts[best][c] += add[c];
  }

  refineAssignment(order.map((o) => o.g), countsByGroup, foldOfGroup, foldCounts, classTotals);

  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const validation: number[] = [];
    items.forEach((item, i) => (foldOfGroup.get(item.group) === f ? validation : train).push(i));
    return { index: f, train, validation };
  });
}

/** Throws if any group has clips on both sides of a fold, or a clip is not in exactly one validation fold. */
export function assertValidFolds(items: readonly SplitItem[], folds: readonly Fold[]): void {
  const seen = new Array<number>(items.length).fill(0);
  for (const fold of folds) {
    const valGroups = new Set(fold.validation.map((i) => items[i].group));
    for (const i of fold.train) {
      if (valGroups.has(items[i].group)) {
        throw new Error(`split: fold ${fold.index} has group '${items[i].group}' in both training and validation`);
      }
    }
    if (fold.train.length + fold.validation.length !== items.length) {
      throw new Error(`split: fold ${fold.index} covers ${fold.train.length + fold.validation.length} of ${items.length} clips`);
    }
    for (const i of fold.validation) seen[i]++;
  }
  const bad = seen.findIndex((n) => n !== 1);
  if (bad >= 0) throw new Error(`split: clip ${bad} is in ${seen[bad]} validation folds, expected exactly 1`);
}

export interface SideSize {
  positives: number;
  negatives: number;
  groups: number;
}

export interface FoldSize {
  fold: number;
  train: SideSize;
  validation: SideSize;
}

export function foldSizes(items: readonly SplitItem[], folds: readonly Fold[]): FoldSize[] {
  const side = (indices: readonly number[]): SideSize => {
    const positives = indices.filter((i) => items[i].label === 1).length;
    return { positives, negatives: indices.length - positives, groups: new Set(indices.map((i) => items[i].group)).size };
  };
  return folds.map((f) => ({ fold: f.index, train: side(f.train), validation: side(f.validation) }));
}

/** A fixed-width text table of {@link foldSizes}, one line per fold. */
export function formatFoldSizes(sizes: readonly FoldSize[]): string {
  const head = ['fold', 'val pos', 'val neg', 'val groups', 'train pos', 'train neg', 'train groups'];
  const rows = sizes.map((s) => [
    s.fold,
    s.validation.positives,
    s.validation.negatives,
    s.validation.groups,
    s.train.positives,
    s.train.negatives,
    s.train.groups,
  ]);
  return [head, ...rows].map((r) => r.map((v, i) => String(v).padStart(head[i].length)).join('  ')).join('\n');
}

/** Local search after the greedy pass; mutates foldOfGroup and foldCounts. */
function refineAssignment(
  groups: readonly string[],
  countsByGroup: ReadonlyMap<string, readonly number[]>,
  foldOfGroup: Map<string, number>,
  foldCounts: number[][],
  classTotals: readonly number[],
): void {
  const k = foldCounts.length;
  const score = (): [number, number] => {
    let empty = 0;
    let meanStd = 0;
    for (const c of CLASSES) {
      for (const fc of foldCounts) if (fc[c] === 0) empty++;
      meanStd += std(foldCounts.map((fc) => fc[c] / classTotals[c])) / CLASSES.length;
    }
    return [empty, meanStd];
  };
  const better = (a: [number, number], b: [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1] - 1e-12);
  const move = (g: string, to: number): void => {
    const from = foldOfGroup.get(g)!;
    const counts = countsByGroup.get(g)!;
    for (const c of CLASSES) {
      foldCounts[from][c] -= counts[c];
      foldCounts[to][c] += counts[c];
    }
    foldOfGroup.set(g, to);
  };
  let current = score();
  for (let pass = 0; pass < 100; pass++) {
    let improved = false;
    for (const g of groups) {
      for (let to = 0; to < k; to++) {
        const from = foldOfGroup.get(g)!;
        if (to === from) continue;
        move(g, to);
        const s = score();
        if (better(s, current)) {
          current = s;
          improved = true;
        } else move(g, from);
      }
    }
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const fi = foldOfGroup.get(groups[i])!;
        const fj = foldOfGroup.get(groups[j])!;
        if (fi === fj) continue;
        move(groups[i], fj);
        move(groups[j], fi);
        const s = score();
        if (better(s, current)) {
          current = s;
          improved = true;
        } else {
          move(groups[i], fi);
          move(groups[j], fj);
        }
      }
    }
    if (!improved) return;
  }
}

function std(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / values.length);
}
