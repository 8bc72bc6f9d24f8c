/** worker_threads entry: runs one FoldJob and posts progress and its outcome. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from '../util/workers.ts';
import { runFoldJob, type FoldOutcome, type FoldProgress } from './foldJob.ts';

const post = (m: WorkerMessage<FoldOutcome, FoldProgress>) => parentPort!.postMessage(m);
try {
  const value = await runFoldJob(workerData.clips, workerData.job, (p) => post({ kind: 'progress', value: p }));
  post({ kind: 'done', value });
} catch (err) {
  post({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
