/**
 * Field recordings as training material: their frame sequences (through the feature cache), and,
 * in the `field` configuration, labelled windows cut from them.
 *
 * - Unlabelled, a field recording is background: training clips are mixed into random windows of it.
 * - Labelled (`--field-labels`), a window that lies on a call is a positive, a window at least
 *   `clearSec` away from every call is a negative, and windows in between are never used. A
 *   recording's windows share its group (the recording), so folds never split a recording.
 * - A detection the reviewer rejected (verdicts.csv beside the labels) is a hard negative: the clear
 *   windows that cover at least half a window of it are drawn on their own, a few per detection.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AudioError } from '../audio/errors.ts';
import { streamAudio } from '../audio/load.ts';
import { withSilence } from '../audio/audio.ts';
import { frameSettings, framesPerSec, resolveFeatureConfig, type FeatureConfig } from '../features/config.ts';
import { configureFeatures, type FeatureExtractor } from '../features/extractor.ts';
import { endWindows, StreamEndsKeeper, windowCount } from '../features/endWindows.ts';
import { framesOfChunks } from '../features/frameStream.ts';
import type { Matrix } from '../features/matrix.ts';
import type { CallSpan } from '../records/labels.ts';
import type { Target } from '../records/target.ts';
import { Progress } from '../util/progress.ts';
import { FeatureCache, sha256Hex } from './cache.ts';
import { groupOf } from './groups.ts';
import { packFrames, type FrameStore } from './frames.ts';
import type { SkippedClip } from './load.ts';

export interface FieldRecording {
  file: string;
  /** File name with extension, as in labels_calls.csv and results.csv (or the id under an annotated folder). */
  name: string;
  /** The recording itself (groupOf its name): its windows never straddle a split. */
  group: string;
  rows: number;
  durationSec: number;
}

export interface FieldData {
  recordings: FieldRecording[];
  /**
   * Seconds of silence before (and after) each recording in its frames (onset-labelled targets are scored with
   * half a window of it, lib/detect/targetDetector.ts): frame row r is at r·hop − leadSec in the recording.
   */
  leadSec: number;
  /** Item i = recordings[i]. */
  frames: FrameStore;
  /**
   * Item i: the finished features (one row of framesPerWindow × bins values per window) of recording i's windows
   * that run past its end, as counting scores them (lib/features/endWindows.ts); no rows unless asked for.
   */
  endWindows: FrameStore;
  skipped: SkippedClip[];
  config: FeatureConfig;
}

export interface FieldLoadOptions {
  cacheDir?: string | false;
  onProgress?: (done: number, total: number) => void;
  /** Recording ids, aligned with the files (default: the file names). */
  names?: readonly string[];
  /** Seconds of silence framed around each recording (onset targets). */
  leadSec?: number;
  /** Also keep the windows past each recording's end, for windows this many frames apart (none with leadSec). */
  endWindowHopFrames?: number;
}

/** Frames of each recording (streamed decode, cached by content), skipping the ones that fail. */
export async function loadFieldRecordings(files: readonly string[], featureConfig: Partial<FeatureConfig>, opts: FieldLoadOptions = {}): Promise<FieldData> {
  const config = resolveFeatureConfig(featureConfig);
  const extractor = configureFeatures(config);
  const cache = opts.cacheDir === false ? null : new FeatureCache({ dir: opts.cacheDir });
  const leadSec = opts.leadSec ?? 0;
  const lead = Math.round(leadSec * config.sampleRate);
  const settings = { frames: frameSettings(config), recording: 'whole', ...(lead > 0 ? { silenceAround: lead } : {}) };
  const key = cache?.featureKey(settings) ?? '';
  const [F, bins] = extractor.shape;
  const endHop = lead === 0 ? (opts.endWindowHopFrames ?? 0) : 0;
  // finished windows: keyed by the whole feature config (PCEN, dB, clip length …), not only the framing
  const endKey = endHop ? (cache?.featureKey({ ...settings, endWindows: { hopFrames: endHop, feature: config } }) ?? '') : '';
  const recordings: FieldRecording[] = [];
  const matrices: Matrix[] = [];
  const ends: Matrix[] = [];
  const skipped: SkippedClip[] = [];
  const progress = opts.onProgress ? null : new Progress('field recordings', files.length);
  for (const [i, file] of files.entries()) {
    try {
      const hash = sha256Hex(await readFile(file));
      let frames = cache?.readMatrix(hash, key, extractor.frameBins) ?? null;
      let end: Matrix | null = endHop ? (cache?.readMatrix(hash, endKey, F * bins) ?? null) : { data: new Float32Array(0), rows: 0, cols: F * bins };
      if (!frames || !end) {
        // one decode gives what the cache lacks: the frames, the end windows, or both
        const keeper = new StreamEndsKeeper(Math.round(config.clipSec * config.sampleRate));
        const decoded = (await framesOfChunks(extractor, tap(withSilence(streamAudio(file, { sampleRate: config.sampleRate }), lead, lead), keeper))).frames;
        if (!frames) {
          frames = decoded;
          cache?.writeFeatures(hash, key, frames, settings);
        }
        if (!end) {
          end = endWindowFeatures(extractor, keeper, decoded.rows, endHop);
          cache?.writeFeatures(hash, endKey, end);
        }
      }
      ends.push(end);
      const name = opts.names?.[i] ?? basename(file);
      const durationSec = (frames.rows - 1) / framesPerSec(config) + config.frameLength / config.sampleRate - 2 * leadSec;
      recordings.push({ file, name, group: groupOf(name), rows: frames.rows, durationSec });
      matrices.push(frames);
    } catch (err) {
      if (!(err instanceof AudioError)) throw err;
      skipped.push({ file, reason: err.reason, message: err.message });
    }
    if (opts.onProgress) opts.onProgress(i + 1, files.length);
    else progress!.update(i + 1, `(${skipped.length} skipped)`);
  }
  return { recordings, leadSec, frames: packFrames(matrices, extractor.frameBins, true), endWindows: packFrames(ends, F * bins, true), skipped, config };
}

async function* tap(chunks: AsyncIterable<Float32Array>, keeper: StreamEndsKeeper): AsyncGenerator<Float32Array> {
  for await (const chunk of chunks) {
    keeper.push(chunk);
    yield chunk;
  }
}

/** The finished features of the windows past the end of a recording of `rows` frames, one window per row. */
function endWindowFeatures(extractor: FeatureExtractor, keeper: StreamEndsKeeper, rows: number, hopFrames: number): Matrix {
  const [F, bins] = extractor.shape;
  const windows = endWindows(keeper.ends, keeper.windowSamples, hopFrames * extractor.config.hopLength, windowCount(rows, F, hopFrames));
  const data = new Float32Array(windows.length * F * bins);
  windows.forEach((w, i) => data.set(extractor.extractClip(w.samples).data, i * F * bins));
  return { data, rows: windows.length, cols: F * bins };
}


/** Recordings known to be fully labelled, each with its calls (possibly none). */
export type FieldLabels = ReadonlyMap<string, readonly CallSpan[]>;

/** How windows are labelled: the target's settings (lib/records/target.ts) and the window length. */
export interface FieldWindowOptions extends Pick<Target, 'labelling' | 'minCoverage' | 'clearSec' | 'onsetSec'> {
  /** Window length, seconds (the model's clip length). */
  windowSec: number;
}

/** The Capuchinbird's: a 3 s window holding 2.5 s of a 4.1 s call, negatives 1 s clear (lib/records/target.ts). */
export const DEFAULT_FIELD_WINDOWS: Omit<FieldWindowOptions, 'windowSec'> = { labelling: 'presence', minCoverage: 5 / 6, clearSec: 1, onsetSec: 0.25 };

/** A target's window labelling. */
export function fieldWindowOptions(target: Target): FieldWindowOptions {
  return { windowSec: target.windowSec, labelling: target.labelling, minCoverage: target.minCoverage, clearSec: target.clearSec, onsetSec: target.onsetSec };
}

/** Start-row intervals [from, to] (inclusive) of a recording's positive and negative windows. */
export interface FieldWindowRanges {
  /** One interval per call (calls too close to the ends may be clipped or missing). */
  positives: [number, number][];
  /** The clear stretches. */
  negatives: [number, number][];
  /** Windows that overlap no call at all: where background for mixing may be drawn. */
  background: [number, number][];
  /**
   * One entry per rejected detection that has any: the start intervals of the windows that overlap it by
   * at least half a window (or all of it, when it is shorter), inside `negatives`, so never near a call.
   */
  hard?: [number, number][][];
}

/** Intersection of two sorted lists of disjoint inclusive intervals. */
function intersectIntervals(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (hi >= lo) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/** The seconds of a call a positive window must hold: minCoverage of the call or of the window, to the millisecond. */
export function coverageNeeded(callSec: number, opts: Pick<FieldWindowOptions, 'windowSec' | 'minCoverage'>): number {
  return Math.round(opts.minCoverage * Math.min(callSec, opts.windowSec) * 1000) / 1000;
}

/** Start rows in [0, lastStart] of windows at least `clear` seconds from every call. */
function clearStarts(calls: readonly CallSpan[], clear: number, windowSec: number, fps: number, lastStart: number): [number, number][] {
  // blocked starts: a window [t, t + w] closer than `clear` to a call [s, e]: t ∈ (s − clear − w, e + clear)
  const blocked = calls
    .map((c) => [Math.floor((c.start_s - clear - windowSec) * fps) + 1, Math.ceil((c.end_s + clear) * fps) - 1] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of blocked) {
    if (a - 1 >= next) out.push([next, Math.min(a - 1, lastStart)]);
    next = Math.max(next, b + 1);
    if (next > lastStart) break;
  }
  if (next <= lastStart) out.push([next, lastStart]);
  return out.filter(([a, b]) => b >= a);
}

/**
 * Where windows of `windowRows` rows may start in a recording of `rows` frames, given its calls and
 * the detections a reviewer rejected in it (`rejected`, optional: hard negatives).
 */
export function fieldWindowRanges(
  rows: number,
  windowRows: number,
  fps: number,
  calls: readonly CallSpan[],
  opts: FieldWindowOptions,
  rejected: readonly CallSpan[] = [],
): FieldWindowRanges {
  const lastStart = rows - windowRows;
  if (lastStart < 0) return { positives: [], negatives: [], background: [] };
  if (opts.labelling === 'onset') return onsetWindowRanges(lastStart, fps, calls, opts, rejected);
  const positives: [number, number][] = [];
  for (const c of calls) {
    // a window [t, t + w] holds `need` of the call [s, e] when t ∈ [s − (w − need), e − need]
    const need = coverageNeeded(c.end_s - c.start_s, opts);
    const from = Math.max(0, Math.round((c.start_s - (opts.windowSec - need)) * fps));
    const to = Math.min(lastStart, Math.round((c.end_s - need) * fps));
    if (to >= from) positives.push([from, to]);
  }
  const clear = clearStarts(calls, opts.clearSec, opts.windowSec, fps, lastStart);
  return withHard({ positives, negatives: clear, background: clearStarts(calls, 0, opts.windowSec, fps, lastStart) }, rejected, lastStart, fps, opts);
}

/**
 * Onset labelling: a window is a positive when its centre t + w/2 is within onsetSec of a call's start, a negative
 * when its centre is at least clearSec from every start (inside a call too).
 */
function onsetWindowRanges(lastStart: number, fps: number, calls: readonly CallSpan[], opts: FieldWindowOptions, rejected: readonly CallSpan[]): FieldWindowRanges {
  const half = opts.windowSec / 2;
  const positives: [number, number][] = [];
  for (const c of calls) {
    const from = Math.max(0, Math.ceil((c.start_s - half - opts.onsetSec) * fps - 1e-9));
    const to = Math.min(lastStart, Math.floor((c.start_s - half + opts.onsetSec) * fps + 1e-9));
    if (to >= from) positives.push([from, to]);
  }
  // a start t is blocked when |t + w/2 − s| < clearSec for some start s; the rest are negatives
  const points = calls.map((c) => ({ start_s: c.start_s - half, end_s: c.start_s - half }));
  const negatives = clearStarts(points, opts.clearSec, 0, fps, lastStart);
  return withHard({ positives, negatives, background: clearStarts(calls, 0, opts.windowSec, fps, lastStart) }, rejected, lastStart, fps, opts);
}

/** The ranges with the hard negatives of the rejected detections (none when there are none). */
function withHard(ranges: FieldWindowRanges, rejected: readonly CallSpan[], lastStart: number, fps: number, opts: FieldWindowOptions): FieldWindowRanges {
  if (!rejected.length) return ranges;
  const clear = ranges.negatives;
  // a window [t, t + w] overlaps a span [s, e] by at least `need` when t ∈ [s + need − w, e − need]
  const hard = rejected
    .map((r) => {
      const need = Math.min(opts.windowSec / 2, r.end_s - r.start_s);
      const from = Math.max(0, Math.ceil((r.start_s + need - opts.windowSec) * fps - 1e-9));
      const to = Math.min(lastStart, Math.floor((r.end_s - need) * fps + 1e-9));
      return to >= from ? intersectIntervals([[from, to]], clear) : [];
    })
    .filter((h) => h.length > 0);
  return { ...ranges, hard };
}

/** Fixed, evenly spread validation windows: each call's centred window, and negatives every `negativeStepSec`. */
export function fixedFieldWindows(ranges: FieldWindowRanges, fps: number, negativeStepSec: number): { start: number; label: 0 | 1 }[] {
  const out: { start: number; label: 0 | 1 }[] = ranges.positives.map(([a, b]) => ({ start: Math.round((a + b) / 2), label: 1 as const }));
  const step = Math.max(1, Math.round(negativeStepSec * fps));
  for (const [a, b] of ranges.negatives) for (let t = a; t <= b; t += step) out.push({ start: t, label: 0 });
  return out;
}
