import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from './architectures/index.ts';
import { selectBackend } from './backend/select.ts';
import { predictScores, shuffled, trainClassifier } from './train.ts';
import { resolveTrainConfig } from './trainConfig.ts';

const n = 24;
const F = 60;
const B = 16;

function separableSet(seed: number) {
  const x = tf.randomNormal([n * F * B], -40, 10, 'float32', seed).dataSync() as Float32Array;
  const y = new Float32Array(n).map((_, i) => i % 2);
  for (let i = 0; i < n; i++) if (y[i]) for (let k = 0; k < F * B; k += 7) x[i * F * B + k] += 15;
  return { x, y, n, frames: F, bins: B };
}

test('training is reproducible: same seed, same scores (no Math.random shuffle)', async () => {
  await selectBackend({ log: () => {} });
  const set = separableSet(5);
  const runs: Float32Array[] = [];
  for (let r = 0; r < 2; r++) {
    const model = buildModel('compact-cnn', [F, B], { seed: 1 });
    await trainClassifier(model, set, null, resolveTrainConfig({ batchSize: 4 }), {}, 3);
    runs.push(predictScores(model, set));
    model.dispose();
  }
  assert.deepEqual(Array.from(runs[0]), Array.from(runs[1]));
  // and it learned something: positives score above negatives on average
  const mean = (label: number) => runs[0].filter((_, i) => set.y[i] === label).reduce((a, b) => a + b, 0) / (n / 2);
  assert.ok(mean(1) > mean(0) + 0.2, `positives ${mean(1)} vs negatives ${mean(0)}`);
});

test('shuffled keeps every example with its label', () => {
  const set = separableSet(6);
  const s = shuffled(set, 3);
  const size = F * B;
  const key = (x: Float32Array, i: number) => `${x[i * size]},${x[i * size + 1]}`;
  const before = new Map(Array.from({ length: n }, (_, i) => [key(set.x, i), set.y[i]]));
  for (let i = 0; i < n; i++) assert.equal(before.get(key(s.x, i)), s.y[i]);
  assert.notDeepEqual(Array.from(s.y), Array.from(set.y));
});
