import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { featureShape, resolveFeatureConfig } from '../features/config.ts';
import { buildModel } from './architectures/index.ts';
import { selectBackend } from './backend/select.ts';
import { loadModel, loadModelMeta, saveModel, META_FILE, WEIGHTS_FILE, type ModelMeta } from './io.ts';
import { initInputNormalization, predictScores } from './train.ts';

const feature = resolveFeatureConfig({ kind: 'mel', frameLength: 400, hopLength: 160, melBins: 32, clipSec: 1 });
const shape: [number, number] = featureShape(feature); // [98, 32]

function meta(threshold = 0.37): ModelMeta {
  return {
    version: 1,
    architecture: 'compact-cnn',
    feature,
    threshold,
    inputShape: shape,
    epochs: 1,
    trainedOn: { clips: 4, positives: 2, groups: 4 },
    backend: 'wasm',
    createdAt: new Date(0).toISOString(),
  };
}

function randomSet(n: number, seed: number) {
  const x = tf.randomNormal([n * shape[0] * shape[1]], -40, 15, 'float32', seed).dataSync() as Float32Array;
  return { x, y: new Float32Array(n).map((_, i) => i % 2), n, frames: shape[0], bins: shape[1] };
}

test('a saved model reloads with its feature config and threshold and predicts the same scores', async () => {
  await selectBackend({ log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-model-'));
  try {
    const model = buildModel('compact-cnn', shape, { seed: 3 });
    const set = randomSet(6, 1);
    initInputNormalization(model, set); // non-default BatchNorm statistics must survive the round trip
    const before = predictScores(model, set);
    await saveModel(dir, model, meta());
    const { model: loaded, meta: m } = await loadModel(dir);
    const after = predictScores(loaded, set);
    assert.equal(after.length, 6);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(after[i] - before[i]) < 1e-6, `score ${i}: ${after[i]} vs ${before[i]}`);
    assert.deepEqual(m.feature, feature);
    assert.equal(m.threshold, 0.37);
    assert.deepEqual(loadModelMeta(join(dir, 'model.json')).inputShape, shape);
    // the scores are not trivially constant, so the comparison above means something
    assert.ok(Math.max(...before) - Math.min(...before) > 1e-4);
    model.dispose();
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loading names the missing file and rejects a bad capuchin.json', async () => {
  await selectBackend({ log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-model-'));
  try {
    const model = buildModel('compact-cnn', shape, { seed: 3 });
    await saveModel(dir, model, meta());
    model.dispose();
    rmSync(join(dir, WEIGHTS_FILE));
    await assert.rejects(loadModel(dir), /has no weights\.bin/);
    const bad = JSON.parse(readFileSync(join(dir, META_FILE), 'utf8'));
    bad.feature.hopLength = -1;
    writeFileSync(join(dir, META_FILE), JSON.stringify(bad));
    assert.throws(() => loadModelMeta(dir), /hopLength/);
    bad.feature.hopLength = 160;
    bad.threshold = 2;
    writeFileSync(join(dir, META_FILE), JSON.stringify(bad));
    assert.throws(() => loadModelMeta(dir), /threshold must be in \[0, 1\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
