import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadNative } from './native/addon.ts';
import { assertTrainable, selectBackend, type BackendInfo } from './select.ts';

const require = createRequire(import.meta.url);
/** What each forced native run threw, or the name of the backend it picked. */
const outcome = (force: 'tensorflow' | 'tensorflow-gpu') =>
  selectBackend({ force, log: () => {} }).then(
    (info) => `picked ${info.name}`,
    (err: Error) => err.message,
  );

/** Stand in for libtensorflow: a 'tensorflow' backend made by `factory`, with the cpu backend's kernels. */
function registerFakeTensorflow(factory: () => tf.KernelBackend): () => void {
  const kernels = tf.getKernelsForBackend('cpu').map((k) => ({ ...k, backendName: 'tensorflow' }));
  assert.ok(tf.registerBackend('tensorflow', factory), 'no tensorflow backend registered before');
  for (const k of kernels) tf.registerKernel(k);
  return () => {
    for (const k of kernels) tf.unregisterKernel(k.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  };
}

test('forced single-threaded wasm loads with SIMD, registers the training kernels and is remembered', async () => {
  const lines: string[] = [];
  const info = await selectBackend({ force: 'wasm', wasmThreads: 1, log: (l) => lines.push(l) });
  assert.equal(info.name, 'wasm');
  assert.equal(info.threads, 1);
  assert.equal(info.simd, true);
  // which wasm: decided by the native addon (build/native, CAPUCHIN_NATIVE), the input this branch reads
  const native = loadNative();
  if ('addon' in native) {
    assert.equal(info.package, '@tensorflow/tfjs-backend-wasm + capuchin native kernels', 'the addon loaded: its kernels are used');
    assert.match(info.note, /^\d+ native kernels \(convolutions on .+\), 1 thread; XNNPACK single-threaded$/);
  } else {
    assert.equal(info.package, '@tensorflow/tfjs-backend-wasm', `no addon (${native.reason}): stock wasm`);
    assert.equal(info.note, `single-threaded; ${native.reason}`);
  }
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'stock wasm lacks it; selectBackend registers it');
  assert.match(lines.join('\n'), /tfjs backend: wasm/);
  assert.equal(await selectBackend({ log: () => {} }), info);
});

// The native branch, each way, with its input controlled: what is registered under 'tensorflow' when
// @tensorflow/tfjs-node has been imported. (These run after the wasm test: the last one changes the remembered choice.)

/** Why the "without its binding" case cannot be checked here, or false when it can. */
function gpuBindingSkip(): string | false {
  try {
    return existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json')), 'lib')) && 'tfjs-node-gpu has a built binding here';
  } catch {
    return '@tensorflow/tfjs-node-gpu (optional) is not installed';
  }
}

/** Whether a module of `pkg`'s own folder (not its dependencies) has been loaded in this process. */
const loadedFrom = (pkg: string) => Object.keys(require.cache).some((k) => k.includes(`/node_modules/${pkg}/dist/`));

test('tfjs-node-gpu without its binding: "did not load", naming the missing addon, and it is not imported', { skip: gpuBindingSkip() }, async () => {
  // package.json's allowScripts keeps its install script from fetching libtensorflow, so lib/ is absent
  assert.match(await outcome('tensorflow-gpu'), /^capuchin: no tfjs backend could be initialised \(forced 'tensorflow-gpu'\): @tensorflow\/tfjs-node-gpu did not load \(its native addon tfjs_binding\.node is not under \S+tfjs-node-gpu\/lib: its install script has not run\)$/);
  assert.equal(loadedFrom('@tensorflow/tfjs-node-gpu'), false, 'its dist/ was not loaded');
  assert.equal(tf.getBackend(), 'wasm', 'the active backend is unchanged');
});

test('tfjs-node that registers no tensorflow backend (the alias of plain tfjs installed here) is not a success', async () => {
  assert.equal(require('@tensorflow/tfjs-node/package.json').name, '@tensorflow/tfjs', 'precondition: @tensorflow/tfjs-node is the danfojs override alias');
  assert.equal(tf.findBackendFactory('tensorflow'), null);
  assert.equal(await outcome('tensorflow'), "capuchin: no tfjs backend could be initialised (forced 'tensorflow'): @tensorflow/tfjs-node is an alias of @tensorflow/tfjs, which registers no 'tensorflow' backend (no libtensorflow)");
  assert.equal(loadedFrom('@tensorflow/tfjs-node'), false, 'the alias (a second copy of tfjs) was not loaded');
  assert.equal(tf.getBackend(), 'wasm', 'the active backend is unchanged');
});

test('a registered tensorflow backend that fails to initialise is refused', async () => {
  const warn = console.warn;
  console.warn = () => {}; // tfjs warns "Initialization of backend tensorflow failed"
  const remove = registerFakeTensorflow(() => {
    throw new Error('libtensorflow.so: cannot open shared object file (simulated)');
  });
  try {
    assert.equal(await outcome('tensorflow'), "capuchin: no tfjs backend could be initialised (forced 'tensorflow'): @tensorflow/tfjs-node: backend 'tensorflow' failed to initialise");
  } finally {
    console.warn = warn;
    remove();
  }
  await tf.setBackend('wasm');
});

test('a registered tensorflow backend that initialises is picked, made active, computes and is remembered', async () => {
  const cpuFactory = tf.findBackendFactory('cpu')!;
  const remove = registerFakeTensorflow(() => cpuFactory() as tf.KernelBackend);
  const warn = console.warn;
  console.warn = () => {}; // the cpu backend's "looks like you are running TensorFlow.js in Node.js" banner
  try {
    const lines: string[] = [];
    const info = await selectBackend({ force: 'tensorflow', log: (l) => lines.push(l) });
    assert.deepEqual(info, { name: 'tensorflow', package: '@tensorflow/tfjs-node', threads: 0, simd: true, note: 'native libtensorflow' });
    assert.equal(tf.getBackend(), 'tensorflow');
    assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()), [4, 6]);
    assert.deepEqual(lines, ['tfjs backend: tensorflow (@tensorflow/tfjs-node, native threads, SIMD) — native libtensorflow']);
    assert.equal(await selectBackend({ log: () => {} }), info, 'the first choice stays');
  } finally {
    console.warn = warn;
    await tf.setBackend('wasm');
    remove();
  }
});

test('training on cpu is refused unless allowed, and then warns with the expected time', () => {
  const cpu: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', threads: 1, simd: false, note: '' };
  assert.throws(() => assertTrainable(cpu, false, () => {}), /refusing to train on the cpu backend: .*takes days on it.*--allow-cpu-training/);
  const lines: string[] = [];
  assertTrainable(cpu, true, (l) => lines.push(l));
  assert.match(lines[0], /^warning: training on the cpu backend .*takes days on it/);
  const wasm: BackendInfo = { ...cpu, name: 'wasm' };
  assert.doesNotThrow(() => assertTrainable(wasm, false, () => assert.fail('no warning for wasm')));
});
