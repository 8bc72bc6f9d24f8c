import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertTrainable, selectBackend, type BackendInfo } from './select.ts';

test('forced single-threaded wasm loads with SIMD, registers the training kernels and is remembered', async () => {
  const lines: string[] = [];
  const info = await selectBackend({ force: 'wasm', wasmThreads: 1, log: (l) => lines.push(l) });
  assert.equal(info.name, 'wasm');
  assert.equal(info.threads, 1);
  assert.equal(info.simd, true);
  assert.match(info.package, /^@tensorflow\/tfjs-backend-wasm( \+ capuchin native kernels)?$/);
  // the native kernels when they are built, else why not: either way the note says
  assert.match(info.note, /native kernels/);
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'stock wasm lacks it; selectBackend registers it');
  assert.match(lines.join('\n'), /tfjs backend: wasm/);
  assert.equal(await selectBackend({ log: () => {} }), info);
});

test('a native backend is used only when libtensorflow really registered one', async () => {
  const outcome = await selectBackend({ force: 'tensorflow', log: () => {} }).then(
    (info) => info.name,
    (err: Error) => err.message,
  );
  // In this install @tensorflow/tfjs-node is an alias of plain tfjs: importing it must not count as success.
  if (outcome === 'tensorflow') {
    // a machine with libtensorflow: the backend must really be active and compute
    assert.equal(tf.getBackend(), 'tensorflow');
    assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()), [4, 6]);
  } else {
    assert.match(outcome, /no tfjs backend could be initialised \(forced 'tensorflow'\): @tensorflow\/tfjs-node (loaded but registered no 'tensorflow' backend|did not load)/);
  }
});

test('training on cpu is refused unless allowed, and then warns with the expected time', () => {
  const cpu: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', threads: 1, simd: false, note: '' };
  assert.throws(() => assertTrainable(cpu, false, () => {}), /refusing to train on the cpu backend: .*480 s.*--allow-cpu-training/);
  const lines: string[] = [];
  assertTrainable(cpu, true, (l) => lines.push(l));
  assert.match(lines[0], /^warning: training on the cpu backend .*480 s/);
  const wasm: BackendInfo = { ...cpu, name: 'wasm' };
  assert.doesNotThrow(() => assertTrainable(wasm, false, () => assert.fail('no warning for wasm')));
});
