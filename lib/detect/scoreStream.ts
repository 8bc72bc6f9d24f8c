/**
 * Score one recording's audio stream, window by window, in batches, with bounded memory: the score
 * track, a coarse feature image for review, and (for recordings up to `keepAudioSec`) the 16 kHz audio
 * as 16-bit so review.html can play each call. `scoreRecording` opens a file (a path, or a browser File as a
 * ByteSource) with the input checks of lib/audio/inspect.ts (lib/detect/modelAudio.ts): the CLI calls it; the
 * browser page decodes in a second worker and calls scoreStream (lib/detect/audioPort.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ByteSource } from '../audio/byteSource.ts';
import { configureFeatures, type FeatureExtractor } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import type { ModelMeta } from '../model/io.ts';
import { predictScores } from '../model/train.ts';
import { splitPooledModel } from '../model/trunk.ts';
import { GrowableF32 } from '../util/growable.ts';
import type { DetectorConfig } from './config.ts';
import { modelAudio, type ModelAudioOptions } from './modelAudio.ts';
import { WindowScreen, streamNormaliser } from './screen.ts';
import { WindowAssembler, windowHopFrames } from './windows.ts';

export interface ScoredRecording {
  durationSec: number;
  /** One score per window; window i covers [i·hopSec, i·hopSec + windowSec]. */
  scores: Float32Array;
  /** Feature image [rows, bins], one row per `imageHopSec` (averaged frames), for review figures. */
  image: Matrix & { hopSec: number };
  /** 16 kHz audio as 16-bit, or null when the recording is longer than keepAudioSec. */
  audio: Int16Array | null;
  sampleRate: number;
  /** Windows scored exactly, window by window; the others kept their screening score (lib/detect/screen.ts). */
  exactWindows?: number;
}

/** How a recording is scored; its decoding options (chunkSec, fullRateDecode) are modelAudio's. */
export interface ScoreOptions extends ModelAudioOptions {
  /** Keep the audio for review players when the recording is at most this long (default 1800 s). */
  keepAudioSec?: number;
  /** Rows of the review image per second (default 10; 0 keeps no image). */
  imageRowsPerSec?: number;
}

/** The review image: rows of `g` averaged frames, pushed in stream order. */
class ImageRows {
  readonly rows = new GrowableF32();
  private readonly row: Float64Array;
  private filled = 0;

  constructor(
    private readonly bins: number,
    private readonly g: number,
  ) {
    this.row = new Float64Array(bins);
  }

  /** Frames averaged into one row. */
  get groupSize(): number {
    return this.g;
  }

  /** Frames [0, count) of m. */
  push(m: Matrix, count = m.rows): void {
    const { bins, g, row } = this;
    for (let r = 0; r < count; r++) {
      for (let b = 0; b < bins; b++) row[b] += m.data[r * bins + b];
      if (++this.filled === g) {
        for (let b = 0; b < bins; b++) this.rows.pushOne(row[b] / g);
        row.fill(0);
        this.filled = 0;
      }
    }
  }
}

/** Audio at the model's rate, in chunks of any length (streamAudio with the model's sampleRate yields it). */
export type AudioChunks = AsyncIterable<Float32Array>;

/** The recording's audio as 16-bit samples while it is no longer than `maxSamples` (for the review's clips); null beyond. */
class AudioKeeper {
  private parts: Int16Array[] = [];
  samples = 0;
  constructor(private readonly maxSamples: number) {}

  push(chunk: Float32Array): void {
    this.samples += chunk.length;
    if (this.samples > this.maxSamples) {
      this.parts.length = 0;
      return;
    }
    const q = new Int16Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) q[i] = Math.max(-32768, Math.min(32767, Math.round(chunk[i] * 32767)));
    this.parts.push(q);
  }

  take(): Int16Array | null {
    if (this.samples > this.maxSamples) return null;
    const audio = new Int16Array(this.samples);
    let off = 0;
    for (const p of this.parts) {
      audio.set(p, off);
      off += p.length;
    }
    return audio;
  }
}

interface WindowScoring {
  assembler: WindowAssembler;
  finish: () => { scores: Float32Array; exactWindows: number };
  /** Frees the screened model's split (also when a file fails mid-stream). */
  dispose: () => void;
}

/**
 * The windows of the stream scored screened (the trunk once over the recording, exact scores where they
 * matter) when the detector asks for it and the model and features allow it; else every window through the
 * whole model, in batches. Either way the review image gets its rows.
 */
function windowScoring(extractor: FeatureExtractor, model: tf.LayersModel, det: DetectorConfig, image: ImageRows | null): WindowScoring {
  const { sampleRate, hopLength } = extractor.config;
  const [F, bins] = extractor.shape;
  const predict = (x: Float32Array, n: number) => predictScores(model, { x, n, frames: F, bins }, det.batchSize);
  const split = det.screenBelow !== null ? splitPooledModel(model) : null;
  const normalise = split ? streamNormaliser(extractor) : null;
  if (split && normalise) {
    const screen = new WindowScreen(split, normalise, extractor, windowHopFrames(det.hopSec, sampleRate, hopLength), { below: det.screenBelow!, radius: det.screenRadius }, det.batchSize, predict);
    const assembler = new WindowAssembler(extractor, det.hopSec, (w, i, finalized) => screen.window(w, i, finalized), {
      raw: true,
      // the image shows the stream-normalised frames the screen sees
      onFrames: image ? (m) => screen.frames(m, (n) => image.push(n)) : (m) => screen.frames(m),
    });
    return { assembler, finish: () => screen.finish(image ? (n) => image.push(n) : undefined), dispose: () => split.dispose() };
  }
  const scores = new GrowableF32();
  const batch = new Float32Array(det.batchSize * F * bins);
  let inBatch = 0;
  const flush = () => {
    if (inBatch === 0) return;
    scores.push(predict(batch.subarray(0, inBatch * F * bins), inBatch));
    inBatch = 0;
  };
  const assembler: WindowAssembler = new WindowAssembler(extractor, det.hopSec, (w: Matrix) => {
    batch.set(w.data, inBatch * F * bins);
    inBatch++;
    if (inBatch === det.batchSize) flush();
    // the first hopFrames rows of each window tile the recording (whole groups of g)
    const rows = Math.min(assembler.hopFrames, w.rows);
    image?.push(w, rows - (rows % image.groupSize));
  });
  const finish = () => {
    flush();
    return { scores: scores.take(), exactWindows: scores.length };
  };
  return { assembler, finish, dispose: () => split?.dispose() };
}

/** Samples of silence an onset-labelled model's stream gets at either end (det.leadSec). */
export function leadSamples(det: Pick<DetectorConfig, 'leadSec'>, sampleRate: number): number {
  return Math.round(det.leadSec * sampleRate);
}

/**
 * A chunk of the stream scoreStream would frame, with its frames computed where it was decoded (a FrameStreamer over
 * the same stream: the page's decoding worker, lib/detect/audioPort.ts). `lead`: the silence at either end
 * (leadSamples), not the recording.
 */
export interface FramedChunk {
  samples: Float32Array;
  frames: Matrix;
  lead: boolean;
}

/** What feeds a stream's windows: the assembler, the audio kept for review, and the lead in samples. */
type Feed = (assembler: WindowAssembler, kept: AudioKeeper, lead: number) => Promise<void>;

/** scoreStream's feed: half a window of silence at either end for an onset-labelled model (det.leadSec), the chunks between. */
function samplesFeed(chunks: AudioChunks): Feed {
  return async (assembler, kept, lead) => {
    if (lead > 0) assembler.push(new Float32Array(lead));
    for await (const chunk of chunks) {
      kept.push(chunk);
      assembler.push(chunk);
    }
    if (lead > 0) assembler.push(new Float32Array(lead));
  };
}

/** scoreFramed's feed: the chunks with their frames, the lead among them (checked against the detector's). */
function framedFeed(chunks: AsyncIterable<FramedChunk>): Feed {
  return async (assembler, kept, lead) => {
    let silence = 0;
    for await (const chunk of chunks) {
      if (chunk.lead) silence += chunk.samples.length;
      else kept.push(chunk.samples);
      assembler.push(chunk.samples, chunk.frames);
    }
    if (silence !== 2 * lead) throw new Error(`scoreFramed: the stream came with ${silence} samples of lead, not 2 × ${lead} (leadSamples of this detector)`);
  };
}

export function scoreStream(chunks: AudioChunks, model: tf.LayersModel, meta: Pick<ModelMeta, 'feature'>, det: DetectorConfig, opts: ScoreOptions = {}): Promise<ScoredRecording> {
  return scoreFed(samplesFeed(chunks), model, meta, det, opts);
}

/** scoreStream of a stream whose frames came with it: the same scores, bit for bit, without framing it here. */
export function scoreFramed(chunks: AsyncIterable<FramedChunk>, model: tf.LayersModel, meta: Pick<ModelMeta, 'feature'>, det: DetectorConfig, opts: ScoreOptions = {}): Promise<ScoredRecording> {
  return scoreFed(framedFeed(chunks), model, meta, det, opts);
}

async function scoreFed(feed: Feed, model: tf.LayersModel, meta: Pick<ModelMeta, 'feature'>, det: DetectorConfig, opts: ScoreOptions): Promise<ScoredRecording> {
  const extractor = configureFeatures(meta.feature);
  const { sampleRate, clipSec, hopLength } = extractor.config;
  if (Math.abs(det.windowSec - clipSec) > 1e-9) {
    throw new Error(`detector: windowSec ${det.windowSec} s differs from the model's clip length ${clipSec} s. Fix: leave windowSec at the model's clipSec.`);
  }
  const bins = extractor.shape[1];
  const rowsPerSec = opts.imageRowsPerSec ?? 10;
  const kept = new AudioKeeper((opts.keepAudioSec ?? 1800) * sampleRate);
  // Review image: rows of g averaged frames (about 1/rowsPerSec s each).
  const g = rowsPerSec > 0 ? Math.max(1, Math.round(sampleRate / hopLength / rowsPerSec)) : 1;
  const image = rowsPerSec > 0 ? new ImageRows(bins, g) : null;
  const scoring = windowScoring(extractor, model, det, image);

  let scored: { scores: Float32Array; exactWindows: number };
  const lead = leadSamples(det, sampleRate);
  try {
    await feed(scoring.assembler, kept, lead);
    scoring.assembler.finish(lead === 0);
    scored = scoring.finish();
  } finally {
    scoring.dispose(); // also when a file fails mid-stream
  }

  const imageHopSec = (g * hopLength) / sampleRate;
  // the image shows the recording alone, not the silence around it
  const cut = Math.round(det.leadSec / imageHopSec) * bins;
  const whole = image ? image.rows.take() : new Float32Array(0);
  const imageData = cut > 0 ? whole.slice(Math.min(cut, whole.length), Math.max(cut, whole.length - cut)) : whole;
  return {
    durationSec: kept.samples / sampleRate,
    scores: scored.scores,
    image: { data: imageData, rows: imageData.length / bins, cols: bins, hopSec: imageHopSec },
    audio: kept.take(),
    sampleRate,
    exactWindows: scored.exactWindows,
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
  const audio = modelAudio(input, meta.feature, opts, warnings);
  const scored = await scoreStream(audio.chunks, model, meta, det, opts);
  warnings.push(...audio.inputWarnings());
  return scored;
}
