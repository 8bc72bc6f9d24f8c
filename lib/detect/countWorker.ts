/** worker_threads entry of countRecordings: loads the model once, then scores the files the shared queue sends it. */
import { serveQueue } from '../util/workerQueue.ts';
import type { DetectorConfig } from './config.ts';
import { loadFileScorer, type FileOutcome } from './scoreFiles.ts';
import type { ScoreOptions } from './scoreStream.ts';

export interface CountWorkerData {
  modelDir: string;
  detector: DetectorConfig;
  score: ScoreOptions;
  backend?: string;
}

await serveQueue<string, FileOutcome>(async (data) => {
  const d = data as CountWorkerData;
  const scorer = await loadFileScorer(d.modelDir, d.detector, { ...d.score, backend: d.backend });
  return { run: (file) => scorer.score(file), teardown: () => scorer.dispose() };
});
