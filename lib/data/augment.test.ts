import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padOrTrim } from '../audio/clip.ts';
import { loadAudio } from '../audio/load.ts';
import { configureFeatures } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { clipSpecs, createAugmenter, type ExampleSpec } from './augment.ts';
import { mixFramesAtSnr, shiftedWindow } from './augmentOps.ts';
import { frameView, packFrames } from './frames.ts';
import { clipMatrix, loadClipDataset } from './load.ts';
import { SAMPLE_DATA_DIR } from './paths.ts';
import { stratifiedGroupKFold } from './split.ts';
import { foldSets, gatherBatch, type TrainingSet } from './subsets.ts';

const mel = { kind: 'mel' as const, hopLength: 160, frameLength: 400, melBins: 40, fmaxHz: 5000 };
const ds = await loadClipDataset(SAMPLE_DATA_DIR, mel, { cacheDir: false, frames: true, onProgress: () => {} });
const extractor = configureFeatures(ds.config);
const folds = stratifiedGroupKFold(ds.clips, { k: 3, seed: 1 });
const { train, validation } = foldSets(ds, folds[0]);
const [, F, bins] = ds.shape;
const size = F * bins;
const example = (batch: { features: Float32Array }, b: number) => batch.features.subarray(b * size, (b + 1) * size);
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const specs = (positions: number[]): ExampleSpec[] => positions.map((position) => ({ source: 'clip', position }));
/** Every F-row window of `m` (one per start row). */
const windows = (m: Matrix) => Array.from({ length: Math.max(1, m.rows - F + 1) }, (_, s) => shiftedWindow(m, -s, F, 'zero'));

test('augmentation refuses anything but a training fold, by type and at run time', () => {
  // @ts-expect-error a ValidationSet is not a TrainingSet
  assert.throws(() => createAugmenter(validation, extractor, {}), /augmentation is for training folds only, got a validation set/);
  const forged = { ...validation, kind: 'training' } as unknown as TrainingSet;
  assert.throws(() => createAugmenter(forged, extractor), /training folds only/);
  // Positions index the training fold only.
  assert.throws(() => createAugmenter(train, extractor).batch(specs([train.indices.length])), /outside the fold's/);
});

test('folds and sets: training and validation never share a group or a clip', () => {
  const valGroups = new Set(validation.clips.map((c) => c.group));
  assert.ok(train.clips.every((c) => !valGroups.has(c.group)));
  assert.equal(train.indices.length + validation.indices.length, ds.clips.length);
  const batch = createAugmenter(train, extractor, { mixup: { enabled: true } }).batch(clipSpecs(train));
  assert.ok(batch.clipIndices.every((c) => train.indices.includes(c)));
  assert.throws(() => foldSets({ ...ds, clips: ds.clips.slice(1) }, folds[0]), /compute the folds from the loaded clips/);
});

test('with everything off the batch is the stored features and hard labels', () => {
  const positions = [0, 3, 5];
  const plain = gatherBatch(train, positions);
  const aug = createAugmenter(train, extractor).batch(specs(positions));
  assert.deepEqual(aug, plain);
  assert.deepEqual(example(plain, 1), clipMatrix(ds, train.indices[3]).data);
});

test('the stored frames finish to the stored features (the first clip-length window of each clip)', () => {
  for (let i = 0; i < ds.clips.length; i++) {
    assert.ok(maxAbsDiff(extractor.finalize(shiftedWindow(frameView(ds.frames!, i), 0, F, 'zero')).data, clipMatrix(ds, i).data) < 1e-4, ds.clips[i].name);
  }
});

test('the same seed gives the same batches; another seed other batches', () => {
  const cfg = { seed: 7, timeShift: { enabled: true }, mixNegative: { enabled: true }, timeMask: { enabled: true }, mixup: { enabled: true } };
  const a = createAugmenter(train, extractor, cfg);
  const b = createAugmenter(train, extractor, cfg);
  for (let i = 0; i < 2; i++) assert.deepEqual(a.batch(specs([0, 1, 2, 3])), b.batch(specs([0, 1, 2, 3])));
  const c = createAugmenter(train, extractor, { ...cfg, seed: 8 });
  assert.notDeepEqual(c.batch(specs([0, 1, 2, 3])).features, createAugmenter(train, extractor, cfg).batch(specs([0, 1, 2, 3])).features);
});

test('mixing in the frame domain matches mixing the waveforms of two real clips to within a few dB', async () => {
  const pos = padOrTrim((await loadAudio(ds.clips.find((c) => c.label === 1)!.file)).samples, 48000, 'start');
  const neg = padOrTrim((await loadAudio(ds.clips.find((c) => c.label === 0)!.file)).samples, 48000, 'start');
  const power = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0) / x.length;
  for (const snr of [0, 10]) {
    const c = Math.sqrt(power(pos) / (power(neg) * 10 ** (snr / 10)));
    const waveform = extractor.extractClip(pos.map((v, i) => v + c * neg[i]));
    // the frame-domain mix sets its SNR on mel-band power, the waveform mix on full-band power: match the latter
    const fp = extractor.frames(pos);
    const fn = extractor.frames(neg);
    const bandSnr = snr + 10 * Math.log10((fp.data.reduce((s, v) => s + v, 0) / power(pos)) / (fn.data.reduce((s, v) => s + v, 0) / power(neg)));
    const frameMix = extractor.finalize(mixFramesAtSnr(fp, fn, bandSnr, false).mixed);
    let sum = 0;
    for (let i = 0; i < size; i++) sum += Math.abs(frameMix.data[i] - waveform.data[i]);
    // the cross term of two independent sounds averages out over a mel band: measured 0.8–1.0 dB mean difference on the sample
    assert.ok(sum / size < 2, `SNR ${snr} dB: frame-domain mix differs by ${(sum / size).toFixed(2)} dB on average`);
  }
});

test('mixing a negative uses a training-fold negative, never a validation one', () => {
  const augmenter = createAugmenter(train, extractor, { seed: 3, mixNegative: { enabled: true, probability: 1, minSnrDb: 10, maxSnrDb: 10 } });
  const positions = [0, 1, 2];
  const batch = augmenter.batch(specs(positions));
  assert.equal(augmenter.stats.refinished, 3);
  const explains = (b: number, j: number) => {
    const clip = train.indices[positions[b]];
    const own = shiftedWindow(frameView(ds.frames!, clip), 0, F, 'circular');
    return windows(frameView(ds.frames!, j)).some((w) => maxAbsDiff(example(batch, b), extractor.finalize(mixFramesAtSnr(own, w, 10, false).mixed).data) < 1e-3);
  };
  const trainNegatives = train.indices.filter((i) => ds.clips[i].label === 0);
  const valNegatives = validation.indices.filter((i) => ds.clips[i].label === 0);
  positions.forEach((p, b) => {
    assert.ok(trainNegatives.some((j) => j !== train.indices[p] && explains(b, j)), `example ${b}: a training negative explains it`);
    assert.ok(!valNegatives.some((j) => explains(b, j)), `example ${b}: a validation negative leaked in`);
  });
});

test('background mixing draws windows only from the field recordings the job allows', () => {
  // two "recordings": the first 4 clips' frames one after another, and the next 4
  const item = (from: number) => {
    const parts = [0, 1, 2, 3].map((k) => frameView(ds.frames!, from + k));
    const rows = parts.reduce((n, m) => n + m.rows, 0);
    const data = new Float32Array(rows * bins);
    let at = 0;
    for (const m of parts) {
      data.set(m.data, at * bins);
      at += m.rows;
    }
    return { data, rows, cols: bins };
  };
  const recordings = [item(0), item(4)];
  const store = packFrames(recordings, bins);
  const augmenter = createAugmenter(train, extractor, { seed: 9, background: { enabled: true, probability: 1, minSnrDb: 0, maxSnrDb: 0 } }, { background: { frames: store, items: [1] } });
  const positions = [0, 1];
  const batch = augmenter.batch(specs(positions));
  assert.equal(augmenter.stats.background, 2);
  const explainedBy = (b: number, rec: Matrix) => {
    const own = shiftedWindow(frameView(ds.frames!, train.indices[positions[b]]), 0, F, 'circular');
    return windows(rec).some((w) => maxAbsDiff(example(batch, b), extractor.finalize(mixFramesAtSnr(own, w, 0, false).mixed).data) < 1e-3);
  };
  for (const b of [0, 1]) {
    assert.ok(explainedBy(b, recordings[1]), `example ${b}: a window of the allowed recording explains it`);
    assert.ok(!explainedBy(b, recordings[0]), `example ${b}: the other recording leaked in`);
  }
});

test('field windows: the label given, the frames at the start given, only from allowed recordings', () => {
  const store = packFrames([frameView(ds.frames!, 0), frameView(ds.frames!, 1)], bins);
  const augmenter = createAugmenter(train, extractor, {}, { field: { frames: store, items: [1] } });
  const batch = augmenter.batch([{ source: 'field', item: 1, start: 0, label: 1 }, ...specs([2])]);
  assert.deepEqual([...batch.labels], [1, ds.clips[train.indices[2]].label]);
  assert.ok(maxAbsDiff(example(batch, 0), clipMatrix(ds, 1).data) < 1e-4);
  assert.deepEqual(batch.clipIndices, [-1, train.indices[2]]);
  assert.throws(() => augmenter.batch([{ source: 'field', item: 0, start: 0, label: 0 }]), /not among this job's training recordings/);
  assert.throws(() => augmenter.batch([{ source: 'field', item: 1, start: 10_000, label: 0 }]), /runs past the recording/);
});

test('time shift moves the energy envelope by at most maxSec', () => {
  const maxSec = 0.5;
  const batch = createAugmenter(train, extractor, { seed: 5, timeShift: { enabled: true, maxSec, mode: 'circular' } }).batch(specs([0, 1, 2, 3]));
  const envelope = (m: Float32Array) => Float64Array.from({ length: F }, (_, r) => m.subarray(r * bins, (r + 1) * bins).reduce((s, db) => s + 10 ** (db / 10), 0));
  const maxLag = Math.ceil((maxSec * 16000) / ds.config.hopLength) + 1;
  let moved = 0;
  batch.clipIndices.forEach((clip, b) => {
    const before = envelope(clipMatrix(ds, clip).data);
    const after = envelope(example(batch, b));
    let best = { lag: 0, score: -Infinity };
    for (let lag = -maxLag * 2; lag <= maxLag * 2; lag++) {
      let score = 0;
      for (let r = 0; r < F; r++) score += after[r] * before[(((r - lag) % F) + F) % F];
      if (score > best.score) best = { lag, score };
    }
    assert.ok(Math.abs(best.lag) <= maxLag, `example ${b}: envelope moved ${best.lag} frames, more than ${maxLag}`);
    if (Math.abs(best.lag) >= 10) moved++;
  });
  assert.ok(moved >= 2, `only ${moved} of 4 clips moved by 10+ frames`);
});

test('SpecAugment masks cover whole rows / columns up to maxWidth and leave the rest untouched', () => {
  const augmenter = createAugmenter(train, extractor, { seed: 2, maskFill: 'min', timeMask: { enabled: true, count: 1, maxWidth: 60 }, freqMask: { enabled: true, count: 1, maxWidth: 8 } });
  const batch = augmenter.batch(specs([0, 1, 2, 3, 4, 5]));
  let masked = 0;
  batch.clipIndices.forEach((clip, b) => {
    const orig = clipMatrix(ds, clip).data;
    const out = example(batch, b);
    let min = Infinity;
    for (const v of orig) min = Math.min(min, v);
    const allMin = (m: Float32Array, idx: (k: number) => number, n: number) => Array.from({ length: n }, (_, k) => m[idx(k)]).every((v) => v === min);
    const rowMasked = (r: number) => allMin(out, (c) => r * bins + c, bins) && !allMin(orig, (c) => r * bins + c, bins);
    const colMasked = (c: number) => allMin(out, (r) => r * bins + c, F) && !allMin(orig, (r) => r * bins + c, F);
    const rows = Array.from({ length: F }, (_, r) => r).filter(rowMasked);
    const cols = Array.from({ length: bins }, (_, c) => c).filter(colMasked);
    assert.ok(rows.length <= 60 && cols.length <= 8, `example ${b}: ${rows.length} rows, ${cols.length} cols masked`);
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
  const batch = createAugmenter(train, extractor, { seed: 4, mixup: { enabled: true, alpha: 1 } }).batch(specs([p, n]));
  const x = [clipMatrix(ds, train.indices[p]).data, clipMatrix(ds, train.indices[n]).data];
  const lambdas = [batch.labels[0], 1 - batch.labels[1]];
  for (const [b, lambda] of lambdas.entries()) {
    assert.ok(lambda > 0 && lambda < 1, `λ ${lambda}`);
    const expected = x[b].map((v, i) => (b === 0 ? lambda * v + (1 - lambda) * x[1][i] : lambda * v + (1 - lambda) * x[0][i]));
    assert.ok(maxAbsDiff(example(batch, b), expected) < 1e-3);
  }
});

test('misconfiguration is a clear error', () => {
  const noFrames = { ...ds, frames: undefined };
  const sets = foldSets(noFrames, stratifiedGroupKFold(noFrames.clips, { k: 3, seed: 1 })[0]);
  assert.throws(() => createAugmenter(sets.train, extractor, { gain: { enabled: true } }), /work on the clips' frames.*frames: true/);
  assert.doesNotThrow(() => createAugmenter(sets.train, extractor, { timeMask: { enabled: true } }));
  assert.throws(() => createAugmenter(train, configureFeatures({ kind: 'spectrogram' })), /does not match the data set's features/);
  assert.throws(() => createAugmenter(train, extractor, { freqMask: { enabled: true, maxWidth: bins + 1 } }), new RegExp(`freqMask\\.maxWidth must be in \\[0, ${bins}\\]`));
  assert.throws(() => createAugmenter(train, extractor, { timeShift: { enabled: true, maxSec: 4 } }), /timeShift\.maxSec must be in \[0, 3\]/);
  const wrong = packFrames([{ data: new Float32Array(10 * (bins + 1)), rows: 10, cols: bins + 1 }], bins + 1);
  assert.throws(() => createAugmenter(train, extractor, {}, { background: { frames: wrong, items: [0] } }), /background frames have/);
});
