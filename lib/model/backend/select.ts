/**
 * Pick the fastest tfjs backend that loads: tfjs-node-gpu, tfjs-node, wasm (threaded when asked), cpu.
 * The wasm training kernels are registered here, once. Safe to call again: the first choice stays.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { registerNativeKernels } from './native/register.ts';
import { registerWasmTrainingKernels } from './wasmKernels/register.ts';
import { registerStockWasm, registerThreadedWasm } from './wasmThreads.ts';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** npm package that provides it */
  package: string;
  /** compute threads the backend uses (1 for single-threaded wasm and cpu) */
  threads: number;
  simd: boolean;
  /** one line for reports: why this backend, and what was tried before it */
  note: string;
}

export interface SelectBackendOptions {
  /** use exactly this backend, or fail */
  force?: BackendName;
  /** allow training on the pure-JS cpu backend (far slower than wasm; see assertTrainable) */
  allowCpuTraining?: boolean;
  /**
   * compute threads on wasm: the native kernels' OpenMP threads when they are built (XNNPACK then runs
   * single-threaded), else XNNPACK's. Default: $CAPUCHIN_WASM_THREADS, else 1 inside worker_threads
   * (folds run in parallel there) and 2 on the main thread when the machine has ≥ 2 cores. See README.md.
   */
  wasmThreads?: number;
  log?: (line: string) => void;
}

let selected: BackendInfo | null = null;

/**
 * What `pkg`'s folder says before importing it: an alias of another package (the danfojs override of
 * @tensorflow/tfjs-node is plain tfjs), or a native addon its install script never built. Either way the import is
 * skipped: it is not free (tfjs-node-gpu without its addon loads its own tfjs and node-pre-gyp before it throws,
 * and the alias loads a second copy of tfjs), and it would happen in every counting worker. Null: not installed.
 */
function nativePackage(pkg: string): { alias?: string; missingAddon?: string } | null {
  let dir: string;
  let json: { name?: string; binary?: { module_name?: string } };
  try {
    const path = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    dir = dirname(path);
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null; // not installed (or unreadable): the import says so
  }
  if (json.name !== pkg) return { alias: json.name };
  const addon = json.binary?.module_name;
  if (addon && !hasFile(join(dir, 'lib'), `${addon}.node`, 2)) {
    return { missingAddon: `its native addon ${addon}.node is not under ${join(dir, 'lib')}: its install script has not run` };
  }
  return {};
}

/** Whether `dir` or a folder at most `depth` levels below it holds a file named `name`. */
function hasFile(dir: string, name: string, depth: number): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && e.name === name) || (e.isDirectory() && depth > 0 && hasFile(join(dir, e.name), name, depth - 1)));
}

async function tryNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<string | null> {
  const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const folder = nativePackage(pkg);
  if (folder?.missingAddon) return `${pkg} did not load (${folder.missingAddon})`;
  if (!folder?.alias) {
    try {
      await import(pkg);
    } catch (err) {
      return `${pkg} did not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    }
  }
  // In this install @tensorflow/tfjs-node is an alias of plain tfjs (for danfojs), which registers nothing:
  // only a registered 'tensorflow' backend counts.
  if (!(tf.findBackendFactory('tensorflow') as unknown)) {
    return `${pkg} ${folder?.alias ? `is an alias of ${folder.alias}, which registers` : 'loaded but registered'} no 'tensorflow' backend (no libtensorflow)`;
  }
  if (!(await tf.setBackend('tensorflow'))) return `${pkg}: backend 'tensorflow' failed to initialise`;
  return null;
}

function defaultWasmThreads(): number {
  const env = Number(process.env.CAPUCHIN_WASM_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 8);
  return isMainThread ? Math.min(2, availableParallelism()) : 1;
}

async function tryWasm(threads: number): Promise<{ info: BackendInfo } | { error: string }> {
  registerWasmTrainingKernels();
  const native = registerNativeKernels(threads);
  if (native.native) {
    // The hot kernels run on the addon's OpenMP threads; XNNPACK's thread pool would spin beside them on the
    // same cores, so wasm stays single-threaded (README.md "Native kernels").
    registerStockWasm();
    if (!(await tf.setBackend('wasm'))) return { error: 'wasm failed to initialise' };
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    return { info: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm + capuchin native kernels', threads, simd, note: `${native.note}; XNNPACK single-threaded` } };
  }
  let note = '';
  if (threads > 1) {
    registerThreadedWasm(threads);
    try {
      if (await tf.setBackend('wasm')) {
        const actual = wasmBackend.getThreadsCount();
        return { info: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm (threaded SIMD build)', threads: actual, simd: true, note: `${actual} XNNPACK threads; ${native.note}` } };
      }
    } catch (err) {
      note = `threaded wasm failed (${err instanceof Error ? err.message : String(err)}); `;
    }
    registerStockWasm();
  }
  if (!(await tf.setBackend('wasm'))) return { error: `${note}wasm failed to initialise` };
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return { info: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', threads: 1, simd, note: `${note}single-threaded; ${native.note}` } };
}

/** Throws unless training on `info` is sensible; on cpu with `allowCpu` it only warns, with the expected time. */
export function assertTrainable(info: BackendInfo, allowCpu: boolean, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): void {
  if (info.name !== 'cpu') return;
  const expected =
    'the tfjs cpu backend is pure JavaScript, without the SIMD convolutions of wasm, so a cross-validated training ' +
    'run that takes minutes on wasm takes days on it';
  if (!allowCpu) {
    throw new Error(`capuchin: refusing to train on the cpu backend: ${expected}. Fix: make wasm load (npm ci restores @tensorflow/tfjs-backend-wasm) or pass --allow-cpu-training.`);
  }
  log(`warning: training on the cpu backend — ${expected}`);
}

export async function selectBackend(opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  if (selected && (!opts.force || opts.force === selected.name)) {
    assertTrainable(selected, opts.allowCpuTraining ?? false, log);
    return selected;
  }
  const order = opts.force ? [opts.force] : BACKEND_NAMES;
  const tried: string[] = [];
  for (const name of order) {
    let info: BackendInfo | null = null;
    if (name === 'tensorflow-gpu' || name === 'tensorflow') {
      const failure = await tryNative(name);
      if (failure) tried.push(failure);
      else info = { name, package: name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node', threads: 0, simd: true, note: 'native libtensorflow' };
    } else if (name === 'wasm') {
      const outcome = await tryWasm(opts.wasmThreads ?? defaultWasmThreads());
      if ('error' in outcome) tried.push(outcome.error);
      else info = outcome.info;
    } else if (await tf.setBackend('cpu')) {
      info = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', threads: 1, simd: false, note: 'pure JavaScript' };
    } else {
      tried.push('cpu failed to initialise');
    }
    if (info) {
      await tf.ready();
      info.note = [...tried, info.note].join('; ');
      assertTrainable(info, opts.allowCpuTraining ?? false, log);
      selected = info;
      log(`tfjs backend: ${info.name} (${info.package}, ${info.threads || 'native'} threads${info.simd ? ', SIMD' : ''}) — ${info.note}`);
      return info;
    }
  }
  throw new Error(`capuchin: no tfjs backend could be initialised${opts.force ? ` (forced '${opts.force}')` : ''}: ${tried.join('; ')}`);
}
