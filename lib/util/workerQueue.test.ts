/**
 * The shared queue over worker threads: every job once, a worker that dies costs only its job (and is replaced), a
 * worker that cannot start fails the batch, and so do workers that keep dying.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkerQueue } from './workerQueue.ts';

const ENTRY = new URL('./__fixtures__/queueWorker.ts', import.meta.url);

async function run(jobs: number[], concurrency: number, data: Record<string, unknown> = {}, maxRestarts?: number) {
  const results = new Map<number, number>();
  const lost = new Map<number, string>();
  const started: number[] = [];
  await runWorkerQueue<number, number>({
    entry: ENTRY, data, jobs, concurrency, maxRestarts,
    onResult: (job, r) => results.set(job, r),
    onLost: (job, reason) => lost.set(job, reason),
    onStart: (job, worker) => {
      started.push(job);
      if (job === 99) void worker.terminate(); // killed from outside mid-job
    },
  });
  return { results, lost, started };
}

test('every job runs once, from one queue, whatever the worker count', async () => {
  const jobs = Array.from({ length: 9 }, (_, i) => i + 1);
  const { results, lost, started } = await run(jobs, 3);
  assert.deepEqual([...results.entries()].sort((a, b) => a[0] - b[0]), jobs.map((j) => [j, 2 * j]));
  assert.equal(lost.size, 0);
  assert.deepEqual([...started].sort((a, b) => a - b), jobs);
});

test('a worker that crashes, exits or is terminated mid-job costs that job alone; the rest are done by its replacement', async () => {
  const { results, lost } = await run([1, -1, 2, -2, 3, 99, 4, 5], 2);
  assert.deepEqual([...results.keys()].sort((a, b) => a - b), [1, 2, 3, 4, 5]);
  for (const j of [1, 2, 3, 4, 5]) assert.equal(results.get(j), 2 * j);
  assert.deepEqual([...lost.keys()].sort((a, b) => a - b), [-2, -1, 99]);
  assert.equal(lost.get(-1), 'Error: crash on purpose');
  assert.equal(lost.get(-2), 'exit code 7');
  assert.equal(lost.get(99), 'exit code 1');
});

test('a worker that cannot start fails the batch with its error', async () => {
  await assert.rejects(run([1, 2], 2, { failSetup: true }), /setup failed on purpose/);
});

test('workers that keep dying without finishing a job fail the batch', async () => {
  await assert.rejects(run([-2, -2, -2, -2, 1], 1, {}, 2), /3 workers died in a row without finishing a job \(last: exit code 7\)/);
});
