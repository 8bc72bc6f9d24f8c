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

/**
 * Load the model once and score `files` one after another; a file that fails becomes an
 * outcome with its error, and the rest go on. Used in-process and by each counting worker.
 */
export async function scoreFiles(
  modelDir: string,
  files: readonly string[],
  det: DetectorConfig,
  opts: ScoreOptions & { backend?: string },
  onOutcome: (o: FileOutcome) => void,
): Promise<void> {
  await selectBackend({ force: opts.backend as never, allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(modelDir);
  try {
    for (const file of files) {
      const t0 = Date.now();
      const warnings: string[] = [];
      try {
        const scored = await scoreRecording(file, model, meta, det, opts, warnings);
        onOutcome({ file, ok: true, scored, seconds: (Date.now() - t0) / 1000, warnings });
      } catch (err) {
        onOutcome({ file, ok: false, error: err instanceof Error ? err.message : String(err), warnings });
      }
    }
  } finally {
    model.dispose();
  }
}
