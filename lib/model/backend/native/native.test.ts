/**
 * The native kernels against the tfjs cpu backend (the reference), forward and through tf.grad, with
 * every call counted so a test fails when a kernel silently fell back to wasm. Skipped, with the reason,
 * when the addon is not built (npm run build:native).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../wasmKernels/register.ts';
import { type NativeAddon, loadNative } from './addon.ts';
import { broadcastPlan } from './elementwiseKernels.ts';
import { nativeKernelNames, registerNativeKernels } from './register.ts';

const loaded = loadNative();
const skip = 'reason' in loaded ? loaded.reason : false;
const calls = new Map<string, number>();

before(async () => {
  if (skip) return;
  const addon = (loaded as { addon: NativeAddon }).addon as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of Object.keys(addon)) {
    const f = addon[name];
    addon[name] = (...a: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return f(...a);
    };
  }
  registerWasmTrainingKernels();
  assert.equal(registerNativeKernels(2).native, true);
  assert.ok(await tf.setBackend('wasm'));
});

/** Runs `f` on cpu and on wasm; returns both results and how often each addon function ran on wasm. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[]; used: Map<string, number> }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const data = list.map((t) => t.dataSync().slice() as Float32Array);
    tf.dispose(list);
    return data;
  };
  const cpu = await run('cpu');
  calls.clear();
  const wasm = await run('wasm');
  return { cpu, wasm, used: new Map(calls) };
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, k) => {
    assert.equal(actual[k].length, e.length, `${what}: output ${k} length`);
    const scale = Math.max(1, ...Array.from(e, Math.abs).filter(Number.isFinite));
    for (let i = 0; i < e.length; i++) {
      const same = Number.isNaN(e[i]) ? Number.isNaN(actual[k][i]) : Math.abs(actual[k][i] - e[i]) <= tol * scale;
      assert.ok(same, `${what}: output ${k}[${i}] = ${actual[k][i]}, cpu ${e[i]}`);
    }
  });
}

function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 31) - 1);
}
const randomTensor = (shape: number[], seed: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

function assertUsed(used: Map<string, number>, fns: string[], what: string): void {
  for (const f of fns) assert.ok((used.get(f) ?? 0) > 0, `${what}: addon ${f} was not called (${[...used].map(([k, v]) => `${k} ${v}`).join(', ') || 'no calls'})`);
}

test('every native kernel is registered for wasm', { skip }, () => {
  const names = nativeKernelNames();
  for (const n of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPool', 'MaxPoolGrad', 'FusedBatchNorm', 'Sum', 'Mean', 'Add', 'Sub', 'Multiply', 'RealDiv', 'Relu', 'Step', 'Square', 'Floor']) {
    assert.ok(names.includes(n), `${n} native`);
    assert.ok(tf.getKernel(n, 'wasm'), `${n} registered`);
  }
});

const convCases: { x: number[]; filter: number[]; strides: number | [number, number]; pad: 'same' | 'valid' | number }[] = [
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 10, 7, 2], filter: [3, 2, 2, 5], strides: [2, 1], pad: 'valid' },
  { x: [2, 11, 9, 2], filter: [2, 3, 2, 3], strides: 3, pad: 'valid' },
  { x: [1, 7, 7, 2], filter: [5, 5, 2, 2], strides: 1, pad: 1 },
  { x: [4, 30, 16, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' },
];

for (const c of convCases) {
  const label = `conv2d x${c.x} f${c.filter} s${c.strides} ${c.pad}`;
  test(`${label}: output, input and filter gradients match cpu on oneDNN`, { skip }, async () => {
    const { cpu, wasm, used } = await onBoth(() => {
      const x = randomTensor(c.x, 1) as tf.Tensor4D;
      const w = randomTensor(c.filter, 2) as tf.Tensor4D;
      const y = tf.conv2d(x, w, c.strides, c.pad);
      const r = randomTensor(y.shape, 3);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r));
      return [y, ...tf.grads(loss)([x, w])];
    });
    assertClose(wasm, cpu, 1e-4, label);
    assertUsed(used, ['convForward', 'convBackwardData', 'convBackwardFilter'], label);
  });
}

test('fused conv2d with bias and relu matches cpu; prelu falls back to wasm and still matches', { skip }, async () => {
  const fused = (activation: 'relu' | 'linear' | 'prelu') => () => {
    const x = randomTensor([2, 9, 8, 3], 4) as tf.Tensor4D;
    const filter = randomTensor([3, 3, 3, 5], 5) as tf.Tensor4D;
    const bias = randomTensor([5], 6) as tf.Tensor1D;
    const preluActivationWeights = activation === 'prelu' ? randomTensor([5], 7) : undefined;
    return tf.fused.conv2d({ x, filter, bias, strides: [2, 1], pad: 'same', activation, preluActivationWeights });
  };
  for (const act of ['relu', 'linear'] as const) {
    const { cpu, wasm, used } = await onBoth(fused(act));
    assertClose(wasm, cpu, 1e-4, `fused ${act}`);
    assertUsed(used, ['convForward'], `fused ${act}`);
  }
  const { cpu, wasm, used } = await onBoth(fused('prelu'));
  assertClose(wasm, cpu, 1e-4, 'fused prelu');
  assert.equal(used.get('convForward') ?? 0, 0, 'prelu is not native');
});

const poolCases: { x: number[]; size: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [2, 8, 6, 3], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 2], size: 3, strides: 2, pad: 'same' },
  { x: [3, 10, 8, 4], size: [3, 2], strides: 1, pad: 'same' },
];

for (const c of poolCases) {
  const label = `maxPool x${c.x} k${c.size} s${c.strides} ${c.pad}`;
  test(`${label}: output and gradient match cpu, ties included`, { skip }, async () => {
    const { cpu, wasm, used } = await onBoth(() => {
      // rounded values make ties inside windows: the first maximum must take the gradient, as on cpu
      const x = tf.round(tf.mul(randomTensor(c.x, 8), 2)) as tf.Tensor4D;
      const y = tf.maxPool(x, c.size, c.strides, c.pad);
      const r = randomTensor(y.shape, 9);
      return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad), r)))(x)];
    });
    assertClose(wasm, cpu, 1e-6, label);
    assertUsed(used, ['maxPool', 'maxPoolGrad'], label);
  });
}

test('maxPool ignores NaN like cpu', { skip }, async () => {
  const { cpu, wasm, used } = await onBoth(() => tf.maxPool(tf.tensor4d([NaN, 1, -2, NaN, NaN, NaN, 3, NaN], [1, 2, 4, 1]), [2, 2], 2, 'valid'));
  assertClose(wasm, cpu, 0, 'NaN pool');
  assertUsed(used, ['maxPool'], 'NaN pool');
});

test('batchNorm with per-channel and single-value parameters matches cpu, and its gradients', { skip }, async () => {
  const cases: [string, number[], number[], boolean][] = [
    ['per channel', [4, 5, 3, 6], [6], true],
    ['one value, no offset or scale', [4, 5, 3, 1], [1], false],
    ['rank-4 channel parameters', [2, 3, 4, 5], [1, 1, 1, 5], true],
  ];
  for (const [what, shape, pshape, affine] of cases) {
    const { cpu, wasm, used } = await onBoth(() => {
      const x = randomTensor(shape, 17);
      const mean = randomTensor(pshape, 18);
      const variance = tf.add(tf.abs(randomTensor(pshape, 19)), 0.1);
      const offset = affine ? randomTensor(pshape, 20) : undefined;
      const scale = affine ? randomTensor(pshape, 21) : undefined;
      const f = (a: tf.Tensor) => tf.batchNorm(a, mean, variance, offset, scale, 1e-3);
      // (tf.grad through batchNorm without scale fails on cpu itself, so that case checks the forward only)
      return affine ? [f(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), randomTensor(shape, 22))))(x)] : f(x);
    });
    assertClose(wasm, cpu, 1e-5, what);
    assertUsed(used, ['batchNorm'], what);
  }
});

test('the batch-norm gradient of a training step (batch moments) matches cpu through one native kernel', { skip }, async () => {
  // (without scale tf.grad fails on cpu itself, so only the layers' case, with gamma and beta, is compared)
  for (const [what, shape, affine] of [['[4,5,3,6]', [4, 5, 3, 6], true], ['[3,4,2,17]', [3, 4, 2, 17], true]] as const) {
    const { cpu, wasm, used } = await onBoth(() => {
      const x = randomTensor([...shape], 23);
      const gamma = tf.add(randomTensor([shape[3]], 24), 1.5);
      const beta = randomTensor([shape[3]], 25);
      const r = randomTensor([...shape], 26);
      // as tfjs-layers trains BatchNormalization: moments of the batch, then batchNorm, gradients to all three
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, affine ? b : undefined, affine ? g : undefined, 1e-3), r));
      };
      return tf.grads(f)([x, gamma, beta]);
    });
    assertClose(wasm, cpu, 1e-4, what);
    assertUsed(used, ['batchNormGrad'], what);
  }
});

test('relu\'s gradient is one native kernel and matches cpu', { skip }, async () => {
  const { cpu, wasm, used } = await onBoth(() => {
    const x = tf.concat([randomTensor([40], 27), tf.tensor([0, -0, NaN])]);
    return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), randomTensor([43], 28))))(x);
  });
  assertClose(wasm, cpu, 1e-6, 'relu grad');
  assertUsed(used, ['binary'], 'relu grad');
});

test('sum and mean over leading axes and over everything match cpu; other axes fall back', { skip }, async () => {
  const x = () => randomTensor([4, 7, 5, 3], 10);
  for (const [what, f] of [
    ['sum [0,1,2]', () => tf.sum(x(), [0, 1, 2])],
    ['mean [0,1,2] keepDims', () => tf.mean(x(), [0, 1, 2], true)],
    ['sum [0]', () => tf.sum(x(), 0)],
    ['mean all', () => tf.mean(x())],
    ['sum all', () => tf.sum(x())],
  ] as const) {
    const { cpu, wasm, used } = await onBoth(f);
    assertClose(wasm, cpu, 1e-6, what);
    assertUsed(used, ['reduceLeading'], what);
  }
  const { cpu, wasm, used } = await onBoth(() => tf.sum(x(), [1, 3]));
  assertClose(wasm, cpu, 1e-6, 'sum [1,3]');
  assert.equal(used.get('reduceLeading') ?? 0, 0, 'inner axes are not native');
});

test('broadcastPlan covers equal shapes, scalars and trailing vectors on either side, nothing else', { skip }, () => {
  assert.deepEqual(broadcastPlan([2, 3, 4], [2, 3, 4]), { mode: 0, inner: 1, outShape: [2, 3, 4] });
  assert.deepEqual(broadcastPlan([2, 3, 4], []), { mode: 3, inner: 1, outShape: [2, 3, 4] });
  assert.deepEqual(broadcastPlan([1], [2, 3, 4]), { mode: 4, inner: 1, outShape: [2, 3, 4] });
  assert.deepEqual(broadcastPlan([2, 3, 4], [1, 1, 4]), { mode: 1, inner: 4, outShape: [2, 3, 4] });
  assert.deepEqual(broadcastPlan([3, 4], [2, 3, 4]), { mode: 2, inner: 12, outShape: [2, 3, 4] });
  assert.equal(broadcastPlan([2, 3, 4], [3, 1]), null);
  assert.equal(broadcastPlan([2, 1, 4], [1, 3, 1]), null);
});

test('add, sub, mul and div match cpu for every broadcast the addon covers, and their gradients', { skip }, async () => {
  const shapes: [number[], number[]][] = [[[4, 5, 3, 6], [4, 5, 3, 6]], [[4, 5, 3, 6], [6]], [[6], [4, 5, 3, 6]], [[4, 5, 3, 6], []], [[], [4, 5, 3, 6]], [[4, 5, 3, 6], [1, 1, 3, 6]]];
  const ops = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div } as const;
  for (const [sa, sb] of shapes) {
    for (const [name, op] of Object.entries(ops)) {
      const what = `${name} [${sa}] [${sb}]`;
      const { cpu, wasm, used } = await onBoth(() => {
        const a = randomTensor(sa, 11);
        const b = tf.add(randomTensor(sb, 12), name === 'div' ? 3 : 0);
        return [op(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(op(p, q)))([a, b])];
      });
      assertClose(wasm, cpu, 1e-5, what);
      assertUsed(used, ['binary'], what);
    }
  }
  const { cpu, wasm, used } = await onBoth(() => tf.add(randomTensor([2, 1, 4], 13), randomTensor([1, 3, 1], 14)));
  assertClose(wasm, cpu, 1e-6, 'general broadcast');
  assert.equal(used.get('binary') ?? 0, 0, 'a general broadcast is not native');
  const ints = await onBoth(() => tf.cast(tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([4, 5, 6], [3], 'int32')), 'float32'));
  assert.deepEqual(Array.from(ints.wasm[0]), [5, 7, 9]);
});

test('relu, step, square and floor match cpu, NaN included, and relu trains through its gradient', { skip }, async () => {
  const x = () => tf.concat([randomTensor([50], 15), tf.tensor([0, NaN, -0])]);
  for (const [what, f] of [
    ['relu', () => tf.relu(x())],
    ['step', () => tf.step(x())],
    ['step alpha', () => tf.step(x(), 0.25)],
    ['square', () => tf.square(x())],
    ['floor', () => tf.floor(tf.mul(x(), 3))],
    ['relu grad', () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), a)))(randomTensor([4, 6, 5], 16))],
  ] as const) {
    const { cpu, wasm, used } = await onBoth(f);
    assertClose(wasm, cpu, 1e-6, what);
    assertUsed(used, ['unary'], what);
  }
});
