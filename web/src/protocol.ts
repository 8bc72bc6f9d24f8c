/** Messages between the page and its counting workers (structured-cloned; Files pass by reference). */
import type { ResultsFormat } from '../../lib/records/results.ts';
import type { DetectionRow } from '../../lib/records/detections.ts';

/** A model folder's files: the shipped one fetched by URL, or one the user picked. */
export type ModelSource = { kind: 'url'; base: string; label: string } | { kind: 'files'; files: File[] };

export type ToWorker =
  | { type: 'init'; model: ModelSource; wasmBase: string; threads: number }
  | { type: 'count'; id: number; file: File };

export interface WorkerInfo {
  backend: string;
  threads: number;
  simd: boolean;
  /** Whether the worker decodes in a worker of its own (decode.js) while it scores. */
  decodingWorker: boolean;
  /** Where the detector came from (the model's detector.json or the defaults). */
  detectorSource: string;
  modelName: string;
  featureKind: string;
  /** What the model counts, its band (Raven boxes) and the results.csv layout it writes by default. */
  target: { name: string; lowHz: number; highHz: number; format: ResultsFormat };
  windowSec: number;
  hopSec: number;
}

export interface CountedFile {
  id: number;
  recording: string;
  durationSec: number;
  count: number;
  detections: DetectionRow[];
  /** The Raven selection table's file name and text. */
  raven: { name: string; text: string };
  bestScore: number;
  /** What may make the count off without stopping it (warnings.csv rows): band limit, DC offset, clipping, a damaged mp3. */
  warnings: string[];
  /** One score per window, window i starting at i·hopSec − leadSec. */
  scores: Float32Array;
  hopSec: number;
  leadSec: number;
  seconds: number;
}

export type FromWorker =
  | { type: 'ready'; info: WorkerInfo }
  | { type: 'init-failed'; error: string }
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'counted'; result: CountedFile }
  | { type: 'failed'; id: number; recording: string; error: string };
