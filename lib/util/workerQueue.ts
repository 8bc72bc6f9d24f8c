/**
 * A shared job queue over long-lived worker_threads that survives a crashed worker.
 *
 * Each worker starts once (loads what it needs, e.g. a model), says it is ready, then takes one job at a time from
 * the queue, so a long job never leaves another worker idle. A worker that dies on a job (an uncaught error, out of
 * memory, a native abort, or terminated from outside) costs that job alone: it is reported through `onLost` with the
 * reason, a replacement starts, and the queue goes on. A worker that cannot start (its setup throws) fails the batch,
 * since every replacement would fail the same way, and so do `maxRestarts` deaths in a row with no job finished.
 *
 * The worker side is `serveQueue` (below) in the module `entry` names.
 */
import { parentPort, type Worker, workerData } from 'node:worker_threads';
import { startTsWorker } from './workers.ts';

/** Worker → parent. */
type FromWorker<R> = { kind: 'ready' } | { kind: 'result'; value: R } | { kind: 'failed'; error: string };
/** Parent → worker: a job, or the end of the queue. */
type ToWorker<J> = { kind: 'job'; job: J } | { kind: 'stop' };

export interface WorkerQueueOptions<J, R> {
  /** The worker module (a .ts URL) that calls serveQueue. */
  entry: URL;
  /** Its workerData (SharedArrayBuffers are shared, not copied). */
  data: Record<string, unknown>;
  /** Packages the worker imports first (startTsWorker). */
  preload?: readonly string[];
  jobs: readonly J[];
  /** Workers at once (at most one per job). */
  concurrency: number;
  onResult: (job: J, result: R) => void;
  /** The worker on `job` died (`how`: its uncaught error, or its exit code); the job is not retried. */
  onLost: (job: J, how: string) => void;
  /** A worker took `job` (monitoring, and the crash tests, which terminate it). */
  onStart?: (job: J, worker: Worker) => void;
  /** Deaths in a row without a finished job before the batch fails (default 3). */
  maxRestarts?: number;
}

/** Run every job; resolves when all are done or lost, rejects when workers cannot start or keep dying. */
export function runWorkerQueue<J, R>(opts: WorkerQueueOptions<J, R>): Promise<void> {
  const queue = [...opts.jobs];
  const maxRestarts = opts.maxRestarts ?? 3;
  let deathsInARow = 0;
  let failed = false;
  const workers = new Set<Worker>();
  return new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      workers.forEach((w) => void w.terminate());
      reject(err);
    };
    const start = () => {
      const worker = startTsWorker(opts.entry, opts.data, opts.preload);
      workers.add(worker);
      let current: J | undefined;
      let stopping = false;
      const next = () => {
        current = queue.shift();
        if (current === undefined || failed) {
          stopping = true;
          worker.postMessage({ kind: 'stop' } satisfies ToWorker<J>);
          return;
        }
        opts.onStart?.(current, worker);
        worker.postMessage({ kind: 'job', job: current } satisfies ToWorker<J>);
      };
      worker.on('message', (msg: FromWorker<R>) => {
        if (msg.kind === 'ready') return next();
        if (msg.kind === 'failed') {
          stopping = true;
          void worker.terminate();
          return fail(new Error(msg.error));
        }
        deathsInARow = 0;
        // the worker gets its next job first: it counts while this thread handles the result (writes, review pages)
        const done = current as J;
        next();
        opts.onResult(done, msg.value);
      });
      let reason = '';
      worker.on('error', (err) => (reason = `${err.name}: ${err.message}`));
      worker.once('exit', (code) => {
        workers.delete(worker);
        if (!stopping && !failed) {
          const how = reason || `exit code ${code}`;
          if (current === undefined) return fail(new Error(`a worker died before it was ready (${how})`));
          opts.onLost(current, how);
          if (++deathsInARow > maxRestarts) return fail(new Error(`${deathsInARow} workers died in a row without finishing a job (last: ${how})`));
          if (queue.length > 0) start();
        }
        if (workers.size === 0 && !failed) resolve();
      });
    };
    const n = Math.max(1, Math.min(opts.concurrency, queue.length));
    if (queue.length === 0) return resolve();
    for (let i = 0; i < n; i++) start();
  });
}

/**
 * The worker side: `setup` runs once (its failure fails the batch), then each job the queue sends goes through the
 * function it returned, one at a time; `teardown` runs at the end of the queue.
 */
export async function serveQueue<J, R>(setup: (data: unknown) => Promise<{ run: (job: J) => Promise<R>; teardown?: () => void }>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveQueue runs in a worker thread');
  const post = (m: FromWorker<R>) => port.postMessage(m);
  let worker: Awaited<ReturnType<typeof setup>>;
  try {
    worker = await setup(workerData);
  } catch (err) {
    post({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return;
  }
  // jobs are handled in order, one at a time
  let chain = Promise.resolve();
  port.on('message', (msg: ToWorker<J>) => {
    chain = chain.then(async () => {
      if (msg.kind === 'stop') {
        worker.teardown?.();
        port.close();
        return;
      }
      post({ kind: 'result', value: await worker.run(msg.job) });
    });
  });
  post({ kind: 'ready' });
}
