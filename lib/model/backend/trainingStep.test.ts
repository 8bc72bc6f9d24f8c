/** A whole training step of every architecture on wasm (capuchin kernels) against the cpu backend. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, listArchitectures } from '../architectures/index.ts';
import { selectBackend } from './select.ts';

const INPUT: [number, number] = [24, 16];
const BATCH = 4;

before(async () => {
  const info = await selectBackend({ force: 'wasm', wasmThreads: 1, log: () => {} });
  assert.equal(info.name, 'wasm');
});

function batch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  let s = 12345;
  const n = BATCH * INPUT[0] * INPUT[1];
  const x = tf.tensor4d(Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 80 - 80), [BATCH, ...INPUT, 1]);
  return { x, y: tf.tensor2d([[1], [0], [1], [0]]) };
}

/** Loss and gradients of every trainable weight for one training-mode forward pass on `backend`. */
async function lossAndGrads(backend: string, name: string): Promise<{ loss: number; grads: { name: string; values: Float32Array }[] }> {
  await tf.setBackend(backend);
  const model = buildModel(name, INPUT, { seed: 3 });
  const { x, y } = batch();
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.metrics.binaryCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
    vars,
  );
  // in weight order (variable names carry per-process counters, so they differ between the two builds)
  const out = vars.map((v) => ({ name: v.name, values: grads[v.name].dataSync() as Float32Array }));
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads), x, y]);
  model.dispose();
  return { loss, grads: out };
}

for (const { name } of listArchitectures()) {
  test(`${name}: one training step on wasm gives cpu's loss and gradients`, async () => {
    const cpu = await lossAndGrads('cpu', name);
    const wasm = await lossAndGrads('wasm', name);
    assert.ok(Math.abs(cpu.loss - wasm.loss) < 1e-4, `loss cpu ${cpu.loss} wasm ${wasm.loss}`);
    assert.equal(wasm.grads.length, cpu.grads.length);
    let compared = 0;
    for (const [k, { name: key, values: g }] of cpu.grads.entries()) {
      const h = wasm.grads[k].values;
      assert.equal(h.length, g.length, key);
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - h[i]) <= 1e-3 * scale, `${key}[${i}]: cpu ${g[i]}, wasm ${h[i]}`);
      compared += g.length;
    }
    assert.ok(compared > 1000, `${compared} gradient values compared`);
  });
}

test('training on wasm does not leak tensors across steps', async () => {
  await tf.setBackend('wasm');
  const model = buildModel('compact-cnn', INPUT, { seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const { x, y } = batch();
  const losses: number[] = [];
  losses.push((await model.trainOnBatch(x, y)) as number);
  const after1 = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  assert.equal(tf.memory().numTensors, after1);
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[3] < losses[0], `loss falls on a repeated batch: ${losses.join(', ')}`);
  tf.dispose([x, y]);
  model.dispose();
});
