/**
 * The inner validation split of a training fold: group-disjoint when the fold has the sources for it; with two or
 * three sites (and no early stopping, which alone needs it) every source trains instead of one being held out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClipDataset } from '../data/load.ts';
import { innerSplit, MIN_INNER_GROUPS } from './cvData.ts';

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
