/**
 * FusedAdamOptimizer against tfjs-core's AdamOptimizer on cpu: the same weights after several steps
 * of a small conv net, with a learning-rate change between steps as training makes. On wasm it runs
 * the native CapuchinAdam kernel when the addon is built, tfjs-core's update otherwise; both must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './select.ts';
import { FusedAdamOptimizer } from './fusedAdam.ts';
import { ADAM_KERNEL } from './native/optimizerKernels.ts';

function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 31) - 1);
}

async function train(backend: string, makeOptimizer: (lr: number) => tf.Optimizer): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const w = tf.variable(tf.tensor4d(values(3 * 3 * 2 * 4, 1), [3, 3, 2, 4]), true, `w-${backend}-${Math.random()}`);
  const b = tf.variable(tf.tensor1d(values(4, 2)), true, `b-${backend}-${Math.random()}`);
  const x = tf.tensor4d(values(2 * 6 * 5 * 2, 3), [2, 6, 5, 2]);
  const opt = makeOptimizer(0.01);
  for (let step = 0; step < 6; step++) {
    if (step === 3) (opt as unknown as { learningRate: number }).learningRate = 0.003;
    opt.minimize(() => tf.mean(tf.square(tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), b)))) as tf.Scalar);
  }
  const out = [w.dataSync().slice() as Float32Array, b.dataSync().slice() as Float32Array];
  tf.dispose([w, b, x]);
  opt.dispose();
  return out;
}

test('FusedAdamOptimizer follows tfjs-core Adam step for step, on wasm (native when built) and cpu', async () => {
  await selectBackend({ force: 'wasm', wasmThreads: 1, log: () => {} });
  const fused = (lr: number) => new FusedAdamOptimizer(lr, 0.9, 0.999);
  const reference = await train('cpu', (lr) => tf.train.adam(lr));
  const kernelOnWasm = tf.getKernel(ADAM_KERNEL, 'wasm') !== undefined;
  for (const [backend, got] of [['wasm', await train('wasm', fused)], ['cpu', await train('cpu', fused)]] as const) {
    got.forEach((g, k) => {
      for (let i = 0; i < g.length; i++) {
        assert.ok(Math.abs(g[i] - reference[k][i]) <= 1e-5, `${backend}${backend === 'wasm' && kernelOnWasm ? ' (native)' : ''}: weight ${k}[${i}] = ${g[i]}, tfjs-core Adam ${reference[k][i]}`);
      }
    });
  }
  // the weights moved: the comparison is not between two untrained copies
  assert.ok(Math.abs(reference[0][0] - values(1, 1)[0]) > 1e-3);
});
