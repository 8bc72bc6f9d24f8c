/** worker_threads entry: loads the model once, scores its share of the recordings, posts each. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from '../util/workers.ts';
import type { DetectorConfig } from './config.ts';
import { scoreFiles, type FileOutcome } from './scoreFiles.ts';
import type { ScoreOptions } from './scoreStream.ts';

export interface CountWorkerData {
  modelDir: string;
  files: string[];
  detector: DetectorConfig;
  score: ScoreOptions;
  backend?: string;
}

const post = (m: WorkerMessage<number, FileOutcome>) => parentPort!.postMessage(m);
try {
  const data = workerData as CountWorkerData;
  await scoreFiles(data.modelDir, data.files, data.detector, { ...data.score, backend: data.backend }, (value) => post({ kind: 'progress', value }));
  post({ kind: 'done', value: data.files.length });
} catch (err) {
  post({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
