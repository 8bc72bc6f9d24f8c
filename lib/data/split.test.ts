import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipLabel } from './dataset.ts';
import { groupOf } from './groups.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from './paths.ts';
import { createRng } from '../util/random.ts';
import { assertValidFolds, foldSizes, formatFoldSizes, stratifiedGroupKFold, type Fold, type SplitItem } from './split.ts';

/** Items of a Kaggle-layout folder from file names only (no decoding). */
function itemsOf(dataDir: string): SplitItem[] {
  const side = (dir: string, label: ClipLabel) =>
    readdirSync(join(dataDir, dir))
      .filter((n) => /\.(wav|mp3)$/i.test(n))
      .sort()
      .map((n) => ({ label, group: groupOf(n) }));
  return [...side(POSITIVE_DIR, 1), ...side(NEGATIVE_DIR, 0)];
}

/** No leak, full coverage, no empty (fold, class) cell, and each fold's class count within one largest group of the even share. */
function checkFolds(items: readonly SplitItem[], folds: Fold[], k: number): void {
  assert.equal(folds.length, k);
  assertValidFolds(items, folds);
  for (const fold of folds) {
    const val = new Set(fold.validation.map((i) => items[i].group));
    const train = new Set(fold.train.map((i) => items[i].group));
    for (const g of val) assert.ok(!train.has(g), `group ${g} on both sides of fold ${fold.index}`);
  }
  for (const c of [0, 1] as const) {
    const sizes = new Map<string, number>();
    for (const it of items) if (it.label === c) sizes.set(it.group, (sizes.get(it.group) ?? 0) + 1);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const largest = Math.max(...sizes.values());
    for (const fold of folds) {
      const n = fold.validation.filter((i) => items[i].label === c).length;
      assert.ok(n > 0, `fold ${fold.index} has no class-${c} clip`);
      assert.ok(Math.abs(n - total / k) <= largest, `fold ${fold.index} class ${c}: ${n} clips, even share ${total / k}, largest group ${largest}`);
    }
  }
}

function randomLayout(seed: number): { items: SplitItem[]; k: number } {
  const r = createRng(seed);
  const k = 2 + r.int(5);
  const groups = k + 3 + r.int(40);
  const items: SplitItem[] = [];
  for (let g = 0; g < groups; g++) {
    const heavy = r.next() < 0.1;
    // Every group holds negatives; about half also hold positives (as recordings do); a few are huge.
    const positives = g < k || r.next() < 0.5 ? 1 + r.int(heavy ? 40 : 6) : 0;
    const negatives = 1 + r.int(heavy ? 20 : 10);
    for (let i = 0; i < positives; i++) items.push({ label: 1, group: `rec${g}` });
    for (let i = 0; i < negatives; i++) items.push({ label: 0, group: `rec${g}` });
  }
  return { items: createRng(seed + 1).shuffle(items), k };
}

test('property: 300 random group layouts never leak a group and stay balanced', () => {
  for (let seed = 0; seed < 300; seed++) {
    const { items, k } = randomLayout(seed);
    checkFolds(items, stratifiedGroupKFold(items, { k, seed }), k);
  }
});

test('balance is as good as the groups allow on equal groups: 10 groups of 3+5 into 5 folds give 6+10 per fold', () => {
  const items: SplitItem[] = [];
  for (let g = 0; g < 10; g++) {
    for (let i = 0; i < 3; i++) items.push({ label: 1, group: `g${g}` });
    for (let i = 0; i < 5; i++) items.push({ label: 0, group: `g${g}` });
  }
  const sizes = foldSizes(items, stratifiedGroupKFold(items, { k: 5, seed: 3 }));
  for (const s of sizes) assert.deepEqual([s.validation.positives, s.validation.negatives, s.validation.groups], [6, 10, 2]);
});

test('the same seed gives the same folds; another seed gives other folds', () => {
  const { items } = randomLayout(7);
  const a = stratifiedGroupKFold(items, { k: 4, seed: 11 });
  const b = stratifiedGroupKFold(items, { k: 4, seed: 11 });
  assert.deepEqual(a, b);
  const others = [12, 13, 14, 15].map((seed) => JSON.stringify(stratifiedGroupKFold(items, { k: 4, seed })));
  assert.ok(others.some((o) => o !== JSON.stringify(a)), 'four other seeds all gave identical folds');
});

test('embedded sample: 5 folds, no leak, every fold holds both classes', () => {
  const items = itemsOf(SAMPLE_DATA_DIR);
  assert.equal(items.length, 20);
  const folds = stratifiedGroupKFold(items);
  checkFolds(items, folds, 5);
  const text = formatFoldSizes(foldSizes(items, folds));
  assert.match(text.split('\n')[0], /^fold\s+val pos\s+val neg\s+val groups\s+train pos\s+train neg\s+train groups$/);
  assert.equal(text.split('\n').length, 6);
});

const REAL = process.env.CAPUCHIN_DATA;
test('the real data set listing (CAPUCHIN_DATA, read-only): no leak and balanced', { skip: !(REAL && existsSync(join(REAL, POSITIVE_DIR))) && 'needs CAPUCHIN_DATA (the Kaggle layout)' }, () => {
  const items = itemsOf(REAL!);
  for (const seed of [0, 42, 2024]) checkFolds(items, stratifiedGroupKFold(items, { seed }), 5);
});

test('k larger than the groups of a class is a clear error', () => {
  const items: SplitItem[] = [
    { label: 1, group: 'a' },
    { label: 1, group: 'b' },
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((group) => ({ label: 0 as const, group })),
  ];
  assert.throws(() => stratifiedGroupKFold(items, { k: 3 }), /k=3 folds need at least 3 source groups holding positive clips, found 2.*--folds 2/);
  assert.throws(() => stratifiedGroupKFold(items, { k: 1 }), /k \(folds\) must be an integer ≥ 2, got 1/);
  assert.doesNotThrow(() => stratifiedGroupKFold(items, { k: 2 }));
});

test('assertValidFolds catches a leaked group and a clip in two validation folds', () => {
  const items: SplitItem[] = [
    { label: 1, group: 'a' },
    { label: 0, group: 'a' },
    { label: 1, group: 'b' },
    { label: 0, group: 'b' },
  ];
  assert.throws(() => assertValidFolds(items, [{ index: 0, train: [1, 2, 3], validation: [0] }]), /group 'a' in both/);
  assert.throws(
    () => assertValidFolds(items, [{ index: 0, train: [2, 3], validation: [0, 1] }, { index: 1, train: [2, 3], validation: [0, 1] }]),
    /in 2 validation folds/,
  );
});
