/**
 * Score one recording's audio stream, window by window, in batches, with bounded memory: the score
 * track, a coarse feature image for review, and (for recordings up to `keepAudioSec`) the 16 kHz audio
 * as 16-bit so review.html can play each call. `scoreRecording` opens a file (a path, or a browser File as a
 * ByteSource) with the input checks of lib/audio/inspect.ts: the CLI and the browser page both call it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ByteSource } from '../audio/byteSource.ts';
import { InputInspector } from '../audio/inspect.ts';
import { streamAudio } from '../audio/load.ts';
import { configureFeatures } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import type { ModelMeta } from '../model/io.ts';
import { predictScores } from '../model/train.ts';
import type { DetectorConfig } from './config.ts';
import { WindowAssembler } from './windows.ts';

export interface ScoredRecording {
  durationSec: number;
  /** One score per window; window i covers [i·hopSec, i·hopSec + windowSec]. */
  scores: Float32Array;
  /** Feature image [rows, bins], one row per `imageHopSec` (averaged frames), for review figures. */
  image: Matrix & { hopSec: number };
  /** 16 kHz audio as 16-bit, or null when the recording is longer than keepAudioSec. */
  audio: Int16Array | null;
  sampleRate: number;
}

export interface ScoreOptions {
  /** Keep the audio for review players when the recording is at most this long (default 1800 s). */
  keepAudioSec?: number;
  /** Rows of the review image per second (default 10; 0 keeps no image). */
  imageRowsPerSec?: number;
  chunkSec?: number;
}

class GrowableF32 {
  private buf = new Float32Array(1024);
  length = 0;
  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.buf.length * 2, this.length + values.length));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(values, this.length);
    this.length += values.length;
  }
  take(): Float32Array {
    return this.buf.slice(0, this.length);
  }
}

/** Audio at the model's rate, in chunks of any length (streamAudio with the model's sampleRate yields it). */
export type AudioChunks = AsyncIterable<Float32Array>;

export async function scoreStream(
  chunks: AudioChunks,
  model: tf.LayersModel,
  meta: Pick<ModelMeta, 'feature'>,
  det: DetectorConfig,
  opts: ScoreOptions = {},
): Promise<ScoredRecording> {
  const extractor = configureFeatures(meta.feature);
  const { sampleRate, clipSec, hopLength } = extractor.config;
  if (Math.abs(det.windowSec - clipSec) > 1e-9) {
    throw new Error(`detector: windowSec ${det.windowSec} s differs from the model's clip length ${clipSec} s. Fix: leave windowSec at the model's clipSec.`);
  }
  const [F, bins] = extractor.shape;
  const keepAudioSec = opts.keepAudioSec ?? 1800;
  const rowsPerSec = opts.imageRowsPerSec ?? 10;
  const scores = new GrowableF32();
  const image = new GrowableF32();
  const audioParts: Int16Array[] = [];
  let samples = 0;

  const batch = new Float32Array(det.batchSize * F * bins);
  let inBatch = 0;
  const flush = () => {
    if (inBatch === 0) return;
    scores.push(predictScores(model, { x: batch.subarray(0, inBatch * F * bins), n: inBatch, frames: F, bins }, det.batchSize));
    inBatch = 0;
  };

  // Review image: the first hopFrames rows of each window tile the recording; average them in
  // groups of g frames (about 1/rowsPerSec s each).
  const g = rowsPerSec > 0 ? Math.max(1, Math.round(sampleRate / hopLength / rowsPerSec)) : 1;
  const row = new Float32Array(bins); // reused: image.push copies it
  const assembler = new WindowAssembler(extractor, det.hopSec, (w: Matrix) => {
    batch.set(w.data, inBatch * F * bins);
    inBatch++;
    if (inBatch === det.batchSize) flush();
    const groups = rowsPerSec > 0 ? Math.max(1, Math.floor(Math.min(assembler.hopFrames, w.rows) / g)) : 0;
    for (let k = 0; k < groups; k++) {
      row.fill(0);
      for (let r = k * g; r < (k + 1) * g; r++) for (let b = 0; b < bins; b++) row[b] += w.data[r * bins + b] / g;
      image.push(row);
    }
  });

  for await (const chunk of chunks) {
    samples += chunk.length;
    if (samples <= keepAudioSec * sampleRate) {
      const q = new Int16Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) q[i] = Math.max(-32768, Math.min(32767, Math.round(chunk[i] * 32767)));
      audioParts.push(q);
    } else {
      audioParts.length = 0;
    }
    assembler.push(chunk);
  }
  assembler.finish();
  flush();

  let audio: Int16Array | null = null;
  if (samples <= keepAudioSec * sampleRate) {
    audio = new Int16Array(samples);
    let off = 0;
    for (const p of audioParts) {
      audio.set(p, off);
      off += p.length;
    }
  }
  const imageData = image.take();
  return {
    durationSec: samples / sampleRate,
    scores: scores.take(),
    image: { data: imageData, rows: imageData.length / bins, cols: bins, hopSec: (g * hopLength) / sampleRate },
    audio,
    sampleRate,
  };
}

/**
 * Stream one file (a path or a byte source) through the model; `warnings` collects what may change its
 * count (decode problems, a band limit below the model's fmax, a DC offset, clipping).
 */
export async function scoreRecording(
  input: string | ByteSource,
  model: tf.LayersModel,
  meta: Pick<ModelMeta, 'feature'>,
  det: DetectorConfig,
  opts: ScoreOptions = {},
  warnings: string[] = [],
): Promise<ScoredRecording> {
  const inspector = new InputInspector();
  const chunks = streamAudio(input, {
    sampleRate: meta.feature.sampleRate,
    chunkSec: opts.chunkSec,
    onNative: inspector.onNative,
    onWarning: (w) => warnings.push(`${w.reason}: ${w.detail}. Fix: ${w.fix}`),
  });
  const scored = await scoreStream(chunks, model, meta, det, opts);
  warnings.push(...inspector.warnings(meta.feature.fmaxHz, meta.feature.removeDc));
  return scored;
}
