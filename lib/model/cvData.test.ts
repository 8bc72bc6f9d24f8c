/**
 * The inner validation split of a training fold: group-disjoint when the fold has the sources for it; with two or
 * three sites (and no early stopping, which alone needs it) every source trains instead of one being held out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClipDataset } from '../data/load.ts';
import { fieldFolds, innerSplit, MIN_INNER_GROUPS, planFieldFold } from './cvData.ts';
import { createRng } from '../util/random.ts';

function dataset(groupsPerClass: number, clipsPerGroup = 3): ClipDataset {
  const clips = [0, 1].flatMap((label) =>
    Array.from({ length: groupsPerClass * clipsPerGroup }, (_, i) => ({ file: `/x/${label}-${i}.wav`, name: `${label}-${i}.wav`, label: label as 0 | 1, group: `site${label}-${Math.floor(i / clipsPerGroup)}` })),
  );
  return { clips, features: new Float32Array(0), shape: [clips.length, 1, 1], skipped: [], config: {} as never, stats: { decoded: 0, cacheHits: 0, seconds: 0 } };
}

test('many sources: a group-disjoint fifth is held out for validation', () => {
  const ds = dataset(10);
  const all = ds.clips.map((_, i) => i);
  for (const required of [true, false]) {
    const { train, validation } = innerSplit(ds, all, 0.2, 1, required);
    assert.ok(validation.length > 0 && train.length + validation.length === all.length);
    const held = new Set(validation.map((i) => ds.clips[i].group));
    assert.ok(train.every((i) => !held.has(ds.clips[i].group)), 'no group on both sides');
  }
});

test('two or three sites: without early stopping every site trains; with it, a site is still held out', () => {
  for (const sites of [2, 3, MIN_INNER_GROUPS - 1]) {
    const ds = dataset(sites);
    const all = ds.clips.map((_, i) => i);
    assert.deepEqual(innerSplit(ds, all, 0.2, 1, false), { train: all, validation: [] }, `${sites} sites`);
    assert.ok(innerSplit(ds, all, 0.2, 1, true).validation.length > 0, 'early stopping needs its validation set');
  }
  assert.ok(innerSplit(dataset(MIN_INNER_GROUPS), dataset(MIN_INNER_GROUPS).clips.map((_, i) => i), 0.2, 1, false).validation.length > 0);
});

test('field folds, as a property over random layouts: a fold never trains on, validates on or mixes background from its own recordings', () => {
  const rng = createRng(2026);
  for (let trial = 0; trial < 300; trial++) {
    const k = 2 + rng.int(5);
    const n = k + rng.int(25);
    const names = Array.from({ length: n }, (_, i) => `recording_${String(i).padStart(2, '0')}.mp3`);
    const labelled = names.map(() => rng.next() < 0.6);
    const labels = new Map(names.filter((_, i) => labelled[i]).map((name) => [name, Array.from({ length: rng.int(4) }, () => ({ start_s: 0, end_s: 1 }))]));
    const seed = rng.int(1000);
    const recFold = fieldFolds(names, k, seed, labels);
    const scoredBy = new Array<number>(n).fill(0);
    for (let fold = 0; fold < k; fold++) {
      const plan = planFieldFold(fold, recFold, labelled, [0, 0.2, 0.25][trial % 3], seed);
      const own = new Set(plan.score);
      for (const i of plan.score) scoredBy[i]++;
      assert.ok([...plan.train, ...plan.innerValidation, ...plan.background].every((i) => !own.has(i)), `trial ${trial} fold ${fold}: its own recordings leak into training`);
      assert.ok([...plan.train, ...plan.innerValidation].every((i) => labelled[i]), 'only labelled recordings give training windows');
      assert.ok(plan.train.every((i) => !plan.innerValidation.includes(i)), 'inner validation recordings do not train');
      assert.deepEqual([...plan.train].sort(), plan.background.filter((i) => labelled[i]).sort(), 'background is the training side');
      assert.equal(plan.score.length + plan.background.length + plan.innerValidation.length, n, 'every recording has one part in each fold');
    }
    assert.ok(scoredBy.every((c) => c === 1), `trial ${trial}: every recording is scored out of fold exactly once`);
  }
});
