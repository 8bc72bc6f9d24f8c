/** worker_threads entry: loads the model once, scores its share of the recordings, posts each. */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../model/backend/select.ts';
import { loadModel } from '../model/io.ts';
import type { WorkerMessage } from '../util/workers.ts';
import type { DetectorConfig } from './config.ts';
import { scoreRecording, type ScoreOptions, type ScoredRecording } from './scoreRecording.ts';

export interface CountWorkerData {
  modelDir: string;
  files: string[];
  detector: DetectorConfig;
  score: ScoreOptions;
  backend?: string;
}

export type FileOutcome = { file: string; ok: true; scored: ScoredRecording; seconds: number } | { file: string; ok: false; error: string };

const post = (m: WorkerMessage<number, FileOutcome>) => parentPort!.postMessage(m);
try {
  const data = workerData as CountWorkerData;
  await selectBackend({ force: data.backend as never, allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(data.modelDir);
  for (const file of data.files) {
    const t0 = Date.now();
    try {
      const scored = await scoreRecording(file, model, meta, data.detector, data.score);
      post({ kind: 'progress', value: { file, ok: true, scored, seconds: (Date.now() - t0) / 1000 } });
    } catch (err) {
      post({ kind: 'progress', value: { file, ok: false, error: err instanceof Error ? err.message : String(err) } });
    }
  }
  post({ kind: 'done', value: data.files.length });
} catch (err) {
  post({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
