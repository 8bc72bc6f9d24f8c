import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel, DEFAULT_ARCHITECTURE, estimateCost, listArchitectures, registerArchitecture } from './index.ts';

test('the built-in architectures are registered, compact-cnn is the default', () => {
  const names = listArchitectures().map((a) => a.name);
  assert.deepEqual(names, ['compact-cnn', 'compact-cnn-flat', 'seed-cnn', 'reference-3conv']);
  assert.equal(DEFAULT_ARCHITECTURE, 'compact-cnn');
  assert.ok(listArchitectures().every((a) => a.description.length > 20));
});

test('estimateCost counts exactly the parameters tfjs builds', async () => {
  await tf.setBackend('cpu');
  for (const [name, shape] of [['compact-cnn', [299, 64]], ['reference-3conv', [300, 64]], ['seed-cnn', [40, 24]]] as const) {
    const model = buildModel(name, [...shape]);
    assert.equal(estimateCost(name, [...shape]).params, model.countParams(), name);
    assert.deepEqual(model.inputs[0].shape, [null, shape[0], shape[1], 1]);
    assert.deepEqual(model.outputs[0].shape, [null, 1]);
    model.dispose();
  }
});

test('seed-cnn on linear spectrograms [1491, 257] has ~192 M parameters and needs > 3 GB to train', () => {
  const cost = estimateCost('seed-cnn', [1491, 257]);
  // conv 3·3·16+16, conv 3·3·16·16+16, dense (743·126·16)·128+128, dense 128+1
  assert.equal(cost.params, 160 + 2320 + 743 * 126 * 16 * 128 + 128 + 129);
  assert.equal(cost.paramBytes, cost.params * 16);
  assert.ok(cost.bytes > 3 * 2 ** 30);
  const compact = estimateCost('compact-cnn', [299, 64]);
  assert.ok(compact.params > 50_000 && compact.params < 200_000, `compact-cnn params ${compact.params}`);
  assert.ok(compact.flopsPerExample < 100e6, `compact-cnn ${compact.flopsPerExample} FLOPs per example`);
  assert.equal(compact.trainFlopsPerExample, 3 * compact.flopsPerExample);
});

test('same seed gives the same initial weights, another seed different ones', async () => {
  await tf.setBackend('cpu');
  const weights = (seed: number) => {
    const m = buildModel('compact-cnn', [32, 16], { seed });
    const w = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return w;
  };
  assert.deepEqual(weights(7), weights(7));
  assert.notDeepEqual(weights(7), weights(8));
});

test('bad names and inputs fail with a message naming the problem', () => {
  assert.throws(() => buildModel('resnet-9000', [299, 64]), /unknown model architecture 'resnet-9000'; registered: compact-cnn, compact-cnn-flat, seed-cnn/);
  assert.throws(() => estimateCost('compact-cnn', [0, 64]), /inputShape must be \[frames, bins\] of positive integers/);
  assert.throws(() => estimateCost('compact-cnn', [10, 6]), /layer \d+ \(maxPool\) on input 10×6 leaves an empty output/);
  assert.throws(() => registerArchitecture('compact-cnn', { description: 'dup', layers: () => [] }), /already registered/);
  assert.throws(() => registerArchitecture('Bad Name', { description: 'x', layers: () => [] }), /lower-case/);
});
