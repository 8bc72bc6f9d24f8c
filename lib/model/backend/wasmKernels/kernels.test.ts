/**
 * Each capuchin wasm kernel against the tfjs cpu backend (the reference), through tf.grad where it is a
 * gradient: several strides, paddings, batch > 1, channels > 1.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, wasmTrainingKernelNames } from './register.ts';

before(async () => {
  registerWasmTrainingKernels();
  assert.ok(await tf.setBackend('wasm'));
});

/** Run `f` on cpu and on wasm with the same inputs (given as plain arrays), return both results. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const data = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu, wasm };
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tol = 1e-4, what = ''): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, k) => {
    assert.equal(actual[k].length, e.length, `${what}: output ${k} length`);
    const scale = Math.max(1, ...Array.from(e, Math.abs));
    for (let i = 0; i < e.length; i++) {
      assert.ok(Math.abs(actual[k][i] - e[i]) <= tol * scale, `${what}: output ${k}[${i}] = ${actual[k][i]}, cpu ${e[i]}`);
    }
  });
}

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 31) - 1);
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
}

test('the kernels are registered for wasm and replace the stock ones', () => {
  for (const name of wasmTrainingKernelNames) {
    const k = tf.getKernel(name, 'wasm');
    assert.ok(k, `${name} registered`);
  }
  assert.ok(wasmTrainingKernelNames.includes('Conv2DBackpropFilter'));
});

const convCases: { x: number[]; filter: number[]; strides: number | [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 10, 7, 2], filter: [3, 2, 2, 5], strides: [2, 1], pad: 'valid' },
  { x: [2, 11, 9, 2], filter: [2, 3, 2, 3], strides: 3, pad: 'valid' },
  { x: [2, 12, 6, 1], filter: [3, 3, 1, 4], strides: [2, 1], pad: 'same' },
  { x: [1, 7, 7, 2], filter: [5, 5, 2, 2], strides: 1, pad: 'same' },
];

for (const c of convCases) {
  const label = `conv2d x${c.x} f${c.filter} s${c.strides} ${c.pad}`;
  test(`${label}: input and filter gradients match cpu`, async () => {
    const { cpu, wasm } = await onBoth(() => {
      const x = randomTensor(c.x, 1) as tf.Tensor4D;
      const w = randomTensor(c.filter, 2) as tf.Tensor4D;
      const outShape = tf.conv2d(x, w, c.strides, c.pad).shape;
      const r = randomTensor(outShape, 3);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r));
      return tf.grads(loss)([x, w]);
    });
    assertClose(wasm, cpu, 1e-4, label);
  });
}

test('fused conv2d (the path tfjs-layers takes for linear convs) gradients match cpu', async () => {
  const { cpu, wasm } = await onBoth(() => {
    const x = randomTensor([2, 8, 6, 3], 4) as tf.Tensor4D;
    const w = randomTensor([3, 3, 3, 4], 5) as tf.Tensor4D;
    const bias = randomTensor([4], 6) as tf.Tensor1D;
    const r = randomTensor([2, 4, 6, 4], 7);
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, bias: c, strides: [2, 1], pad: 'same' }), r));
    return tf.grads(loss)([x, w, bias]);
  });
  assertClose(wasm, cpu, 1e-4, 'fused conv2d');
});

const poolCases: { x: number[]; size: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [2, 8, 6, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 2], size: 3, strides: 2, pad: 'same' },
  { x: [3, 6, 6, 2], size: 2, strides: 1, pad: 'valid' },
  { x: [2, 8, 5, 4], size: [2, 1], strides: [2, 1], pad: 'same' },
];

for (const c of poolCases) {
  const label = `maxPool x${c.x} size${c.size} s${c.strides} ${c.pad}`;
  test(`${label}: gradient matches cpu, ties included`, async () => {
    const { cpu, wasm } = await onBoth(() => {
      // relu and rounding make many exact ties (zeros and equal values), which must follow cpu's first-max rule
      const x = tf.relu(tf.round(tf.mul(randomTensor(c.x, 8), 3))) as tf.Tensor4D;
      const outShape = tf.maxPool(x, c.size, c.strides, c.pad).shape;
      const r = randomTensor(outShape, 9);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad), r)))(x);
    });
    assertClose(wasm, cpu, 1e-5, label);
  });
}

test('sum and mean over leading axes (fast path) and other axes (stock) match cpu', async () => {
  const { cpu, wasm } = await onBoth(() => {
    const x = randomTensor([3, 5, 4, 6], 10);
    return [
      tf.sum(x, [0, 1, 2]),
      tf.sum(x, [1, 0], true),
      tf.sum(x, 0),
      tf.sum(x, [0, 2]),
      tf.sum(x),
      tf.mean(x, [0, 1, 2]),
      tf.mean(x, [0, 1], true),
      tf.mean(x, -1),
    ];
  });
  assertClose(wasm, cpu, 1e-5, 'reductions');
});

test('tile matches cpu for float, int and bool tensors and reports the right shape', async () => {
  const { cpu, wasm } = await onBoth(() => [
    tf.tile(randomTensor([1, 1, 1, 5], 11), [3, 4, 2, 1]),
    tf.tile(randomTensor([2, 3], 12), [2, 3]),
    tf.tile(randomTensor([4], 13), [1]),
    tf.cast(tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [3, 1]), 'float32'),
    tf.cast(tf.tile(tf.tensor1d([true, false, true], 'bool'), [2]), 'float32'),
  ]);
  assertClose(wasm, cpu, 0, 'tile');
  assert.deepEqual(tf.tile(tf.zeros([1, 2, 1]), [2, 1, 3]).shape, [2, 2, 3]);
});

test('identity shares memory but stays valid after the original is disposed', () => {
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
  y.dispose();
});

test('gradient kernels leave no tensors behind', () => {
  const x = randomTensor([2, 8, 6, 3], 14) as tf.Tensor4D;
  const w = randomTensor([3, 3, 3, 4], 15) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid')))([x, w]));
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, w]);
});
