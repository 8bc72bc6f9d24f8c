/**
 * Count calls in many recordings: worker_threads taking files from one shared queue (each loads the model once;
 * lib/util/workerQueue.ts), every recording streamed through scoreRecording, its score track turned into events.
 * A file that cannot be decoded is reported with its reason and the run goes on; so is a file whose worker died
 * (out of memory, a crash): the worker is replaced and the other files are counted.
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { basename } from 'node:path';
import { recordingIdOf } from '../audio/listing.ts';
import { Progress } from '../util/progress.ts';
import { defaultConcurrency } from '../util/workers.ts';
import { runWorkerQueue } from '../util/workerQueue.ts';
import { TFJS_PRELOAD } from '../util/workers.ts';
import type { DetectorConfig } from './config.ts';
import type { CountWorkerData } from './countWorker.ts';
import { scoreTrackToEvents, type DetectedEvent } from './events.ts';
import { scoreFiles, type FileOutcome } from './scoreFiles.ts';
import type { ScoreOptions, ScoredRecording } from './scoreStream.ts';

export interface RecordingResult {
  /** The recording id: its path relative to the counted folder (`siteA/20240301_053000.WAV`); the file name with extension for a file directly in it. */
  recording: string;
  file: string;
  /** Number of calls, or null when the file could not be processed. */
  count: number | null;
  events: DetectedEvent[];
  error?: string;
  /** Problems that did not stop counting but may change the count (warnings.csv). */
  warnings?: string[];
  scored?: ScoredRecording;
  seconds: number;
}

export interface CountOptions {
  modelDir: string;
  files: readonly string[];
  /** The counted folder: recording ids are paths relative to it (default: each file's name). */
  root?: string;
  detector: DetectorConfig;
  concurrency?: number;
  backend?: string;
  score?: ScoreOptions;
  /** Called as each recording finishes. */
  onResult?: (r: RecordingResult) => void;
  /** Called as a counting worker takes a file (with 2+ workers; for monitoring and the crash tests). */
  onWorkerStart?: (file: string, worker: Worker) => void;
}

/** Shard i of n (0-based): every n-th file of the sorted list, starting at i. */
export function selectShard<T>(files: readonly T[], shard: { index: number; count: number }): T[] {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`--shard must be i/n with 0 ≤ i < n, got ${index}/${count}`);
  }
  return files.filter((_, k) => k % count === index);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard must look like i/n (e.g. 0/4), got '${text}'`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  selectShard([], shard);
  return shard;
}

function toResult(outcome: FileOutcome, detector: DetectorConfig, root: string | undefined): RecordingResult {
  const recording = root === undefined ? basename(outcome.file) : recordingIdOf(root, outcome.file);
  if (!outcome.ok) return { recording, file: outcome.file, count: null, events: [], error: outcome.error, warnings: outcome.warnings, seconds: 0 };
  const events = scoreTrackToEvents(outcome.scored.scores, detector, { durationSec: outcome.scored.durationSec });
  return { recording, file: outcome.file, count: events.length, events, warnings: outcome.warnings, scored: outcome.scored, seconds: outcome.seconds };
}

/**
 * The files, largest first: the queue hands out the longest recordings while every worker is still busy, so a long
 * file near the end of the list does not leave the other workers idle (a file that cannot be read sorts last and
 * fails in its worker with its own error).
 */
function largestFirst(files: readonly string[]): string[] {
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return -1;
    }
  };
  const sizes = new Map(files.map((f) => [f, size(f)]));
  return [...files].sort((a, b) => sizes.get(b)! - sizes.get(a)!);
}

export async function countRecordings(opts: CountOptions): Promise<RecordingResult[]> {
  const files = [...opts.files];
  const concurrency = Math.min(opts.concurrency ?? defaultConcurrency(), Math.max(1, files.length));
  const progress = new Progress('counting', files.length);
  const results = new Map<string, RecordingResult>();
  const accept = (outcome: FileOutcome) => {
    const r = toResult(outcome, opts.detector, opts.root);
    results.set(r.file, r);
    opts.onResult?.(r);
    progress.update(results.size, `| ${r.recording}: ${r.error ? 'FAILED' : `${r.count} calls`}`);
  };

  if (concurrency <= 1) {
    await scoreFiles(opts.modelDir, files, opts.detector, { ...opts.score, backend: opts.backend }, accept);
  } else {
    await runWorkerQueue<string, FileOutcome>({
      entry: new URL('./countWorker.ts', import.meta.url),
      data: { modelDir: opts.modelDir, detector: opts.detector, score: opts.score ?? {}, backend: opts.backend } satisfies CountWorkerData,
      preload: TFJS_PRELOAD,
      jobs: largestFirst(files),
      concurrency,
      onResult: (_file, outcome) => accept(outcome),
      onLost: (file, how) => accept({ file, ok: false, error: `capuchin: ${file}: the worker counting it died (${how}); the batch went on without it. Fix: count it again alone (a file that kills its worker again is damaged in a way the decoder does not catch: re-copy or re-export it)`, warnings: [] }),
      onStart: opts.onWorkerStart,
    });
  }
  return files.map((f) => results.get(f)!);
}
