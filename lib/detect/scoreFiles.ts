/**
 * Score recording files with a saved model in this process or a counting worker: the backend chosen and
 * the model loaded once, each file streamed through scoreRecording (lib/detect/scoreStream.ts).
 */
import { selectBackend } from '../model/backend/select.ts';
import { loadModel } from '../model/io.ts';
import type { DetectorConfig } from './config.ts';
import { scoreRecording, type ScoredRecording, type ScoreOptions } from './scoreStream.ts';

export type FileOutcome =
  | { file: string; ok: true; scored: ScoredRecording; seconds: number; warnings: string[] }
  | { file: string; ok: false; error: string; warnings: string[] };

/** A loaded model that scores files one at a time: each outcome carries its file's error instead of throwing. */
export interface FileScorer {
  score(file: string): Promise<FileOutcome>;
  dispose(): void;
}

/** Choose the backend and load the model once (in this process or a counting worker). */
export async function loadFileScorer(modelDir: string, det: DetectorConfig, opts: ScoreOptions & { backend?: string }): Promise<FileScorer> {
  await selectBackend({ force: opts.backend as never, allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(modelDir);
  return {
    async score(file) {
      const t0 = Date.now();
      const warnings: string[] = [];
      try {
        const scored = await scoreRecording(file, model, meta, det, opts, warnings);
        return { file, ok: true, scored, seconds: (Date.now() - t0) / 1000, warnings };
      } catch (err) {
        return { file, ok: false, error: err instanceof Error ? err.message : String(err), warnings };
      }
    },
    dispose: () => model.dispose(),
  };
}

/** Load the model once and score `files` one after another; a file that fails becomes an outcome with its error. */
export async function scoreFiles(
  modelDir: string,
  files: readonly string[],
  det: DetectorConfig,
  opts: ScoreOptions & { backend?: string },
  onOutcome: (o: FileOutcome) => void,
): Promise<void> {
  const scorer = await loadFileScorer(modelDir, det, opts);
  try {
    for (const file of files) onOutcome(await scorer.score(file));
  } finally {
    scorer.dispose();
  }
}
