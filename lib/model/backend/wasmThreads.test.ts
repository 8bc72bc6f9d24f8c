/** The threaded wasm build under Node (own process: node --test runs each file separately). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './select.ts';

test('threaded wasm starts 2 XNNPACK threads under Node and trains like cpu', async () => {
  // the threaded build is what runs without the native kernels (with them XNNPACK stays single-threaded)
  process.env.CAPUCHIN_NATIVE = '0';
  const info = await selectBackend({ force: 'wasm', wasmThreads: 2, log: () => {} });
  assert.equal(info.name, 'wasm');
  assert.equal(info.threads, 2);
  assert.match(info.package, /threaded SIMD/);
  const grads = () =>
    tf.tidy(() => {
      const x = tf.tensor4d(Array.from({ length: 2 * 16 * 12 * 3 }, (_, i) => Math.sin(i)), [2, 16, 12, 3]);
      const w = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 8 }, (_, i) => Math.cos(i)), [3, 3, 3, 8]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid'))))([x, w]);
      return g.map((t) => Array.from(t.dataSync()));
    });
  const onWasm = grads();
  await tf.setBackend('cpu');
  const onCpu = grads();
  onCpu.forEach((g, k) => {
    const scale = Math.max(...g.map(Math.abs));
    g.forEach((v, i) => assert.ok(Math.abs(v - onWasm[k][i]) <= 1e-4 * scale, `grad ${k}[${i}]: cpu ${v}, wasm ${onWasm[k][i]}`));
  });
});
