import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureFeatures } from '../features/extractor.ts';
import { augmentBatch, createAugmenter } from './augment.ts';
import { resolveAugmentConfig } from './augment-config.ts';
import { meanPower, mixAtSnr } from './augment-ops.ts';
import { clipMatrix, loadClipDataset } from './load.ts';
import { SAMPLE_DATA_DIR } from './paths.ts';
import { createRng } from '../util/random.ts';
import { stratifiedGroupKFold } from './split.ts';
import { foldSets, gatherBatch, type TrainingSet } from './subsets.ts';

const mel = { kind: 'mel' as const };
const ds = await loadClipDataset(SAMPLE_DATA_DIR, mel, { cacheDir: false, waveforms: true, onProgress: () => {} });
const extractor = configureFeatures(ds.config);
const folds = stratifiedGroupKFold(ds.clips, { k: 3, seed: 1 });
const { train, validation } = foldSets(ds, folds[0]);
const size = ds.shape[1] * ds.shape[2];
const example = (batch: { features: Float32Array }, b: number) => batch.features.subarray(b * size, (b + 1) * size);
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('augmentation refuses anything but a training fold, by type and at run time', () => {
  // @ts-expect-error a ValidationSet is not a TrainingSet
  assert.throws(() => createAugmenter(validation, extractor, {}), /augmentation is for training folds only, got a validation set/);
  const cfg = resolveAugmentConfig({});
  assert.throws(() => augmentBatch(validation as unknown as TrainingSet, [0], extractor, cfg, createRng(0)), /training folds only/);
  const forged = { ...validation, kind: 'training' } as unknown as TrainingSet;
  assert.throws(() => createAugmenter(forged, extractor), /training folds only/);
  // Positions index the training fold only.
  assert.throws(() => createAugmenter(train, extractor).batch([train.indices.length]), /outside the fold's/);
});

test('folds and sets: training and validation never share a group or a clip', () => {
  const valGroups = new Set(validation.clips.map((c) => c.group));
  assert.ok(train.clips.every((c) => !valGroups.has(c.group)));
  assert.equal(train.indices.length + validation.indices.length, ds.clips.length);
  const batch = createAugmenter(train, extractor, { mixup: { enabled: true } }).batch(train.indices.map((_, p) => p));
  assert.ok(batch.clipIndices.every((c) => train.indices.includes(c)));
  assert.throws(() => foldSets({ ...ds, clips: ds.clips.slice(1) }, folds[0]), /compute the folds from the loaded clips/);
});

test('with everything off the batch is the stored features and hard labels', () => {
  const positions = [0, 3, 5];
  const plain = gatherBatch(train, positions);
  const aug = createAugmenter(train, extractor).batch(positions);
  assert.deepEqual(aug, plain);
  assert.deepEqual(example(plain, 1), clipMatrix(ds, train.indices[3]).data);
  assert.deepEqual([...plain.labels], positions.map((p) => ds.clips[train.indices[p]].label));
});

test('the same seed gives the same batches; another seed other batches', () => {
  const cfg = { seed: 7, timeShift: { enabled: true }, mixNegative: { enabled: true }, timeMask: { enabled: true }, mixup: { enabled: true } };
  const a = createAugmenter(train, extractor, cfg);
  const b = createAugmenter(train, extractor, cfg);
  for (let i = 0; i < 2; i++) assert.deepEqual(a.batch([0, 1, 2, 3]), b.batch([0, 1, 2, 3]));
  const c = createAugmenter(train, extractor, { ...cfg, seed: 8 });
  assert.notDeepEqual(c.batch([0, 1, 2, 3]).features, createAugmenter(train, extractor, cfg).batch([0, 1, 2, 3]).features);
});

test('mixing a negative: real clips reach the requested SNR within 0.1 dB', () => {
  const pos = ds.waveforms![0];
  const neg = ds.waveforms![ds.clips.findIndex((c) => c.label === 0)];
  for (const snr of [0, 5, 12.5, 20]) {
    const mixed = mixAtSnr(pos, neg, snr);
    const added = mixed.map((v, i) => v - pos[i]);
    const measured = 10 * Math.log10(meanPower(pos) / meanPower(added));
    assert.ok(Math.abs(measured - snr) < 0.1, `asked ${snr} dB, measured ${measured.toFixed(3)} dB`);
  }
});

test('mixing a negative uses a training-fold negative and re-extracts the features', () => {
  const augmenter = createAugmenter(train, extractor, { seed: 3, mixNegative: { enabled: true, probability: 1, minSnrDb: 10, maxSnrDb: 10 } });
  const positions = [0, 1, 2];
  const batch = augmenter.batch(positions);
  assert.equal(augmenter.stats.reextracted, 3);
  const trainNegatives = train.indices.filter((i) => ds.clips[i].label === 0);
  const valNegatives = validation.indices.filter((i) => ds.clips[i].label === 0);
  positions.forEach((p, b) => {
    const clip = train.indices[p];
    const matches = (j: number) => maxAbsDiff(example(batch, b), extractor.extractClip(mixAtSnr(ds.waveforms![clip], ds.waveforms![j], 10)).data) < 1e-3;
    assert.equal(trainNegatives.filter((j) => j !== clip && matches(j)).length, 1, `example ${b}: one training negative explains it`);
    assert.ok(!valNegatives.some(matches), `example ${b}: a validation negative leaked in`);
    assert.ok(maxAbsDiff(example(batch, b), clipMatrix(ds, clip).data) > 1, 'the features changed');
  });
});

test('time shift moves the energy envelope by at most maxSec', () => {
  const maxSec = 0.5;
  const batch = createAugmenter(train, extractor, { seed: 5, timeShift: { enabled: true, maxSec, mode: 'circular' } }).batch([0, 1, 2, 3]);
  const [, frames, bins] = ds.shape;
  const envelope = (m: Float32Array) =>
    Float64Array.from({ length: frames }, (_, r) => m.subarray(r * bins, (r + 1) * bins).reduce((s, db) => s + 10 ** (db / 10), 0));
  const maxLag = Math.ceil((maxSec * 16000) / ds.config.hopLength) + 1;
  let moved = 0;
  batch.clipIndices.forEach((clip, b) => {
    const before = envelope(clipMatrix(ds, clip).data);
    const after = envelope(example(batch, b));
    let best = { lag: 0, score: -Infinity };
    for (let lag = -maxLag * 2; lag <= maxLag * 2; lag++) {
      let score = 0;
      for (let r = 0; r < frames; r++) score += after[r] * before[(((r - lag) % frames) + frames) % frames];
      if (score > best.score) best = { lag, score };
    }
    assert.ok(Math.abs(best.lag) <= maxLag, `example ${b}: envelope moved ${best.lag} frames, more than ${maxLag}`);
    if (Math.abs(best.lag) >= 10) moved++;
  });
  assert.ok(moved >= 3, `only ${moved} of 4 clips moved by 10+ frames`);
});

test('SpecAugment masks cover whole rows / columns up to maxWidth and leave the rest untouched', () => {
  const [, frames, bins] = ds.shape;
  const augmenter = createAugmenter(train, extractor, { seed: 2, maskFill: 'min', timeMask: { enabled: true, count: 1, maxWidth: 60 }, freqMask: { enabled: true, count: 1, maxWidth: 15 } });
  const batch = augmenter.batch([0, 1, 2, 3, 4, 5]);
  let masked = 0;
  batch.clipIndices.forEach((clip, b) => {
    const orig = clipMatrix(ds, clip).data;
    const out = example(batch, b);
    let min = Infinity;
    for (const v of orig) min = Math.min(min, v);
    // A masked row / column is all `min` now but was not before (silent stretches are all `min` already).
    const allMin = (m: Float32Array, idx: (k: number) => number, n: number) => Array.from({ length: n }, (_, k) => m[idx(k)]).every((v) => v === min);
    const rowMasked = (r: number) => allMin(out, (c) => r * bins + c, bins) && !allMin(orig, (c) => r * bins + c, bins);
    const colMasked = (c: number) => allMin(out, (r) => r * bins + c, frames) && !allMin(orig, (r) => r * bins + c, frames);
    const rows = Array.from({ length: frames }, (_, r) => r).filter(rowMasked);
    const cols = Array.from({ length: bins }, (_, c) => c).filter(colMasked);
    assert.ok(rows.length <= 60 && cols.length <= 15, `example ${b}: ${rows.length} rows, ${cols.length} cols masked`);
    if (rows.length > 1) assert.equal(rows[rows.length - 1] - rows[0] + 1, rows.length, 'one contiguous time mask');
    if (cols.length > 1) assert.equal(cols[cols.length - 1] - cols[0] + 1, cols.length, 'one contiguous frequency mask');
    masked += rows.length + cols.length;
    for (let i = 0; i < out.length; i++) {
      const inMask = rows.includes(Math.floor(i / bins)) || cols.includes(i % bins);
      if (!inMask) assert.equal(out[i], orig[i]);
    }
  });
  assert.ok(masked > 0);
});

test('mixup mixes features and labels with the same λ', () => {
  const p = train.indices.findIndex((i) => ds.clips[i].label === 1);
  const n = train.indices.findIndex((i) => ds.clips[i].label === 0);
  const batch = createAugmenter(train, extractor, { seed: 4, mixup: { enabled: true, alpha: 1 } }).batch([p, n]);
  const x = [clipMatrix(ds, train.indices[p]).data, clipMatrix(ds, train.indices[n]).data];
  const lambdas = [batch.labels[0], 1 - batch.labels[1]];
  for (const [b, lambda] of lambdas.entries()) {
    assert.ok(lambda > 0 && lambda < 1, `λ ${lambda}`);
    const expected = x[b].map((v, i) => (b === 0 ? lambda * v + (1 - lambda) * x[1][i] : lambda * v + (1 - lambda) * x[0][i]));
    assert.ok(maxAbsDiff(example(batch, b), expected) < 1e-3);
  }
});

test('misconfiguration is a clear error', () => {
  const noWaves = { ...ds, waveforms: undefined };
  const sets = foldSets(noWaves, stratifiedGroupKFold(noWaves.clips, { k: 3, seed: 1 })[0]);
  assert.throws(() => createAugmenter(sets.train, extractor, { gain: { enabled: true } }), /need the clip waveforms.*waveforms: true/);
  assert.doesNotThrow(() => createAugmenter(sets.train, extractor, { timeMask: { enabled: true } }));
  assert.throws(() => createAugmenter(train, configureFeatures({ kind: 'spectrogram' })), /does not match the data set's features/);
  assert.throws(() => createAugmenter(train, extractor, { freqMask: { enabled: true, maxWidth: 101 } }), /freqMask\.maxWidth must be in \[0, 100\]/);
  assert.throws(() => createAugmenter(train, extractor, { timeShift: { enabled: true, maxSec: 4 } }), /timeShift\.maxSec must be in \[0, 3\]/);
});
