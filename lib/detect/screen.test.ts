/**
 * Screened scoring on real audio with the shipped model: the sample's forest excerpt (recording 46, calls
 * labelled at 2.57, 12.47 and 19.81 s) followed by the sample's nine background clips (rain, crickets,
 * other birds, an owl), about 53 s at 16 kHz.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { loadAudio } from '../audio/load.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, NEGATIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { configureFeatures } from '../features/extractor.ts';
import { selectBackend } from '../model/backend/select.ts';
import { loadModel, loadModelDetector } from '../model/io.ts';
import { predictScores } from '../model/train.ts';
import { splitPooledModel } from '../model/trunk.ts';
import type { DetectorConfig } from './config.ts';
import { modelDetector } from './targetDetector.ts';
import { scoreTrackToEvents } from './events.ts';
import { WindowScreen, streamNormaliser } from './screen.ts';
import { scoreStream } from './scoreStream.ts';
import { WindowAssembler } from './windows.ts';

async function sampleSignal(): Promise<Float32Array> {
  const parts = [(await loadAudio(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'), { sampleRate: 16000 })).samples];
  const negatives = join(SAMPLE_DATA_DIR, NEGATIVE_DIR);
  for (const f of readdirSync(negatives).sort()) parts.push((await loadAudio(join(negatives, f), { sampleRate: 16000 })).samples);
  const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (x.set(p, at), at + p.length), 0);
  return x;
}

async function* chunked(x: Float32Array, size: number): AsyncGenerator<Float32Array> {
  for (let i = 0; i < x.length; i += size) yield x.subarray(i, i + size);
}

const setup = (async () => {
  await selectBackend({ allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(DEFAULT_MODEL_DIR);
  const saved = loadModelDetector(DEFAULT_MODEL_DIR)?.detector;
  const detector = (over: Partial<DetectorConfig>) => modelDetector(meta, saved, over).detector;
  return { model, meta, detector, x: await sampleSignal() };
})();

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('screenBelow 0 scores every window exactly: the same scores as scoring window by window', { timeout: 120_000 }, async () => {
  const { model, meta, detector, x } = await setup;
  const plain = await scoreStream(chunked(x, 48_000), model, meta, detector({ screenBelow: null }), { keepAudioSec: 0 });
  const all = await scoreStream(chunked(x, 37_111), model, meta, detector({ screenBelow: 0 }), { keepAudioSec: 0 });
  assert.equal(all.scores.length, plain.scores.length);
  assert.equal(all.exactWindows, all.scores.length);
  assert.ok(maxAbsDiff(all.scores, plain.scores) < 1e-6, `max diff ${maxAbsDiff(all.scores, plain.scores)}`);
});

test('default screening: the same calls as exact scoring, from fewer exact windows, and close scores elsewhere', { timeout: 120_000 }, async () => {
  const { model, meta, detector, x } = await setup;
  const exactDet = detector({ screenBelow: null });
  const screenDet = detector({});
  assert.ok(screenDet.screenBelow !== null && screenDet.screenBelow > 0);
  const exact = await scoreStream(chunked(x, 48_000), model, meta, exactDet, { keepAudioSec: 0 });
  const screened = await scoreStream(chunked(x, 48_000), model, meta, screenDet, { keepAudioSec: 0 });
  assert.ok(screened.exactWindows! < 0.8 * screened.scores.length, `${screened.exactWindows} of ${screened.scores.length} windows scored exactly`);
  assert.ok(screened.exactWindows! > 0);
  const events = (s: Float32Array) => scoreTrackToEvents(s, exactDet, { durationSec: exact.durationSec }).map((e) => Number(e.start_s.toFixed(2)));
  assert.deepEqual(events(screened.scores), events(exact.scores));
  assert.equal(events(exact.scores).length, 3, `calls at ${events(exact.scores)}`);
  // the screening scores kept stay low, and near the exact ones
  assert.ok(maxAbsDiff(screened.scores, exact.scores) < 0.1, `max diff ${maxAbsDiff(screened.scores, exact.scores)}`);
  // the review image (10 rows a second) covers the recording either way: the stream's frames, or each window's first 0.5 s
  for (const r of [screened, exact]) assert.ok(r.image.rows <= exact.durationSec * 10 && r.image.rows >= (exact.durationSec - 3) * 10, `${r.image.rows} image rows for ${exact.durationSec} s`);
});

test('the trunk run in small blocks equals one long block (the margins cover its receptive field)', { timeout: 120_000 }, async () => {
  const { model, meta, x } = await setup;
  const extractor = configureFeatures(meta.feature);
  const split = splitPooledModel(model);
  assert.ok(split, 'the shipped compact-cnn splits at its global average pooling');
  assert.equal(split.timeStride, 16);
  const [F, bins] = extractor.shape;
  const screenScores = (blockFrames: number) => {
    const predict = (xs: Float32Array, n: number) => predictScores(model, { x: xs, n, frames: F, bins });
    const screen = new WindowScreen(split, streamNormaliser(extractor)!, extractor, 25, { below: 1, radius: 0, blockFrames }, 64, predict);
    const a = new WindowAssembler(extractor, 0.5, (w, i, fin) => screen.window(w, i, fin), { raw: true, onFrames: (m) => screen.frames(m) });
    for (let i = 0; i < x.length; i += 20_000) a.push(x.subarray(i, i + 20_000));
    a.finish();
    return screen.finish();
  };
  const small = screenScores(96);
  const large = screenScores(8192);
  assert.equal(small.scores.length, large.scores.length);
  assert.ok(maxAbsDiff(small.scores, large.scores) < 1e-5, `max diff ${maxAbsDiff(small.scores, large.scores)}`);
  // below 1: only the windows at the end, whose neighbours are unknown, are scored exactly
  assert.ok(small.exactWindows <= 12, `${small.exactWindows} exact windows`);
  split.dispose();
});

test('the screen holds the raw frames of the windows it has not decided, not the whole stream\'s', { timeout: 120_000 }, async () => {
  const { model, meta, detector, x } = await setup;
  const extractor = configureFeatures(meta.feature);
  const split = splitPooledModel(model)!;
  const det = detector({});
  const [F, bins] = extractor.shape;
  const predict = (xs: Float32Array, n: number) => predictScores(model, { x: xs, n, frames: F, bins });
  const screen = new WindowScreen(split, streamNormaliser(extractor)!, extractor, 25, { below: det.screenBelow!, radius: det.screenRadius, blockFrames: 256 }, 64, predict);
  const a = new WindowAssembler(extractor, 0.5, (w, i, fin) => screen.window(w, i, fin), { raw: true, onFrames: (m) => screen.frames(m) });
  let most = 0;
  for (let i = 0; i < x.length; i += 16_000) {
    a.push(x.subarray(i, i + 16_000));
    most = Math.max(most, screen.heldFrames);
  }
  a.finish();
  screen.finish();
  split.dispose();
  const total = x.length / extractor.config.hopLength;
  assert.ok(total > 2000, `${total} frames`);
  // a window, the neighbours a decision waits for, a trunk block with its margin, and one push
  const bound = F + 25 * (det.screenRadius + 2) + 256 + 2 * split.receptiveFrames + 16_000 / extractor.config.hopLength;
  assert.ok(most <= bound, `${most} frames held of ${Math.round(total)} (bound ${bound})`);
});

test('predictScores gives model.predict\'s scores bit for bit, batch by batch (windows of the sample)', { timeout: 120_000 }, async () => {
  const { model, meta, x } = await setup;
  const extractor = configureFeatures(meta.feature);
  const [F, bins] = extractor.shape;
  const windows: Float32Array[] = [];
  const a = new WindowAssembler(extractor, 0.5, (w) => windows.push(w.data.slice()));
  a.push(x);
  a.finish();
  const n = Math.min(windows.length, 75);
  assert.ok(n > 64, `${n} windows`);
  const xs = new Float32Array(n * F * bins);
  windows.slice(0, n).forEach((w, i) => xs.set(w, i * F * bins));
  for (const batch of [64, 48]) {
    const expected: number[] = [];
    for (let start = 0; start < n; start += batch) {
      const count = Math.min(batch, n - start);
      const y = tf.tidy(() => (model.predict(tf.tensor4d(xs.subarray(start * F * bins, (start + count) * F * bins), [count, F, bins, 1])) as tf.Tensor).dataSync());
      expected.push(...y);
    }
    const scores = predictScores(model, { x: xs, n, frames: F, bins }, batch);
    assert.deepEqual(Array.from(scores), expected, `batches of ${batch}`);
    assert.ok(Math.max(...expected) - Math.min(...expected) > 0.1, 'the scores vary');
  }
});
