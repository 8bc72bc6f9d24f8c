/**
 * Multi-threaded wasm under Node. tfjs-backend-wasm 4.22 never uses its threaded build in Node, for
 * three reasons, each worked around here:
 *  1. the WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false when IS_NODE (tfjs issue #3830);
 *  2. its init() starts the pthread Worker from a blob: URL and passes the main script as a Blob, which
 *     Node's worker_threads refuse: we instantiate the threaded Emscripten factory ourselves with the
 *     worker script written to a real file and the main script given as a file path;
 *  3. the C++ side caps the XNNPACK thread pool at emscripten_num_logical_cores() / 2, read once at
 *     start-up from os.cpus().length, which leaves 1 thread on a 2-core machine: os.cpus is widened
 *     while the module starts (and restored right after).
 * The result is registered as backend 'wasm' (so every wasm kernel, including capuchin's, applies).
 * Only XNNPACK operators (conv2d, pooling, fully connected) use the extra threads.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { writeFileAtomic } from '../../util/atomic.ts';

const require = createRequire(import.meta.url);
const THREADED_JS = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const THREADED_WORKER = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
/** tfjs-backend-wasm's own priority, so the threaded factory takes its place. */
const WASM_PRIORITY = 2;

type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
interface EmscriptenModule {
  cwrap: (name: string, returnType: string | null, argTypes: string[]) => (...args: number[]) => number;
  PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
}

/** The pthread worker script as a file Node can start (tfjs escapes its newlines the same way for its Blob). */
function workerScriptPath(): string {
  const { wasmWorkerContents } = require(THREADED_WORKER) as { wasmWorkerContents: string };
  const path = join(tmpdir(), `capuchin-tfjs-wasm-${wasmBackend.version_wasm}-worker.cjs`);
  if (!existsSync(path)) writeFileAtomic(path, wasmWorkerContents.replace(/\n/g, '\\n'));
  return path;
}

async function instantiateThreaded(threads: number): Promise<EmscriptenModule> {
  const mainJs = require.resolve(THREADED_JS);
  const factory = require(mainJs) as EmscriptenFactory;
  const workerJs = workerScriptPath();
  const wasmFile = join(dirname(mainJs), 'tfjs-backend-wasm-threaded-simd.wasm');
  const realCpus = os.cpus;
  const logicalCores = Math.max(realCpus().length, 2 * threads);
  os.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: logicalCores }, (_, i) => cpus[i % cpus.length]);
  };
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js') ? workerJs : path.endsWith('.wasm') ? wasmFile : prefix + path,
      mainScriptUrlOrBlob: mainJs,
    });
  } finally {
    os.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** Idle pthread workers must not keep the process alive once the script is done. */
function unrefWorkers(module: EmscriptenModule): void {
  for (const w of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) w.unref();
}

let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/** Put tfjs's own (single-threaded) wasm factory back after registerThreadedWasm. */
export function registerStockWasm(): void {
  if (!stockFactory) return;
  tf.removeBackend('wasm');
  wasmBackend.setThreadsCount(1);
  tf.registerBackend('wasm', stockFactory, WASM_PRIORITY);
}

/**
 * Make backend 'wasm' the threaded SIMD build with `threads` XNNPACK threads (call before
 * tf.setBackend('wasm')). Read the real count afterwards with wasmBackend.getThreadsCount().
 */
export function registerThreadedWasm(threads: number): void {
  if (!Number.isInteger(threads) || threads < 2 || threads > 8) {
    throw new Error(`registerThreadedWasm: threads must be an integer in [2, 8], got ${threads}`);
  }
  wasmBackend.setThreadsCount(threads);
  type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
  const current = tf.findBackendFactory('wasm') as Factory | null;
  if (current && !stockFactory) stockFactory = current;
  if (current) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await instantiateThreaded(threads);
      const backend = new wasmBackend.BackendWasm(module as never);
      unrefWorkers(module);
      return backend;
    },
    WASM_PRIORITY,
  );
}
