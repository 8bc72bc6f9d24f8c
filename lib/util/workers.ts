/** worker_threads running TypeScript modules, and a bounded pool over jobs. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./tsWorkerBoot.mjs', import.meta.url);

/**
 * What a tfjs worker (counting, training folds) imports before anything else: tfjs's bundles carry source maps of
 * several MB that Node reads and parses on import whenever source maps are on, and tsx turns them on. The boot
 * (tsWorkerBoot.mjs) imports these first, with source maps off and before tsx's hooks; the TypeScript modules
 * after them keep their maps. The count bench's "start two counting workers" row times a worker's start.
 */
export const TFJS_PRELOAD: readonly string[] = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];

/**
 * A worker thread running the TypeScript module `entry` with `data` (SharedArrayBuffers shared, not copied);
 * `preload`: packages imported first, before tsx and with source maps off (TFJS_PRELOAD for tfjs workers).
 */
export function startTsWorker(entry: URL, data: Record<string, unknown>, preload: readonly string[] = []): Worker {
  return new Worker(BOOT, { workerData: { ...data, __entry: entry.href, __preload: [...preload] } });
}

/** What a worker posts: progress events any number of times, then exactly one result. */
export type WorkerMessage<T, P> = { kind: 'progress'; value: P } | { kind: 'done'; value: T } | { kind: 'failed'; error: string };

/**
 * Run `entry` (a .ts module URL) in a worker with `data`; resolve with its 'done' value.
 * SharedArrayBuffers in `data` are shared, not copied.
 */
export function runTsWorker<T, P = unknown>(entry: URL, data: Record<string, unknown>, onProgress?: (p: P) => void, preload: readonly string[] = []): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const worker = startTsWorker(entry, data, preload);
    let settled = false;
    worker.on('message', (msg: WorkerMessage<T, P>) => {
      if (msg.kind === 'progress') {
        onProgress?.(msg.value);
        return;
      }
      settled = true;
      if (msg.kind === 'done') resolvePromise(msg.value);
      else reject(new Error(msg.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker ${entry.pathname} exited with code ${code} before answering`));
    });
  });
}

/** How many jobs to run at once: the cores, or `CAPUCHIN_WORKERS` when set. */
export function defaultConcurrency(): number {
  const env = Number(process.env.CAPUCHIN_WORKERS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
}

/** Run `run` over `jobs`, at most `concurrency` at a time; results keep the jobs' order. */
export async function runPool<J, R>(jobs: readonly J[], concurrency: number, run: (job: J, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await run(jobs[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Copy a typed array into shared memory so workers can read it without a copy each. */
export function toShared(a: Float32Array): Float32Array {
  const shared = new Float32Array(new SharedArrayBuffer(a.byteLength));
  shared.set(a);
  return shared;
}
