/**
 * Score recording files with a saved model: each file streamed (decode → 16 kHz → features → model)
 * through scoreStream.
 */
import type * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../model/backend/select.ts';
import { loadModel } from '../model/io.ts';
import { InputInspector } from '../audio/inspect.ts';
import { streamAudio } from '../audio/load.ts';
import type { ModelMeta } from '../model/io.ts';
import type { DetectorConfig } from './config.ts';
import { scoreStream, type ScoredRecording, type ScoreOptions } from './scoreStream.ts';

export type { ScoredRecording, ScoreOptions } from './scoreStream.ts';

/** Stream one file (path) through the model; `warnings` collects what may change its count (decode problems, band limit, DC, clipping). */
export async function scoreRecording(
  path: string,
  model: tf.LayersModel,
  meta: Pick<ModelMeta, 'feature'>,
  det: DetectorConfig,
  opts: ScoreOptions = {},
  warnings: string[] = [],
): Promise<ScoredRecording> {
  const inspector = new InputInspector();
  const chunks = streamAudio(path, {
    sampleRate: meta.feature.sampleRate,
    chunkSec: opts.chunkSec,
    onNative: inspector.onNative,
    onWarning: (w) => warnings.push(`${w.reason}: ${w.detail}. Fix: ${w.fix}`),
  });
  const scored = await scoreStream(chunks, model, meta, det, opts);
  warnings.push(...inspector.warnings(meta.feature.fmaxHz, meta.feature.removeDc));
  return scored;
}

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
