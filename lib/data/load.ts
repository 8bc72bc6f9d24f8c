/**
 * Decode, pad/trim and featurise every clip of a Kaggle-layout data folder, through the
 * on-disk cache. A clip that cannot be decoded is skipped and reported, never fatal.
 */
import { readFile } from 'node:fs/promises';
import type { Audio } from '../audio/audio.ts';
import { padOrTrim } from '../audio/clip.ts';
import { AudioError } from '../audio/errors.ts';
import { loadAudio } from '../audio/load.ts';
import { clipSamples as clipSamplesOf, frameSettings, resolveFeatureConfig, type FeatureConfig, type PadMode } from '../features/config.ts';
import { configureFeatures } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { Progress } from '../util/progress.ts';
import { FeatureCache, sha256Hex } from './cache.ts';
import { scanClips, type ClipFolders, type ClipRecord } from './dataset.ts';
import { packFrames, type FrameStore } from './frames.ts';

export type AudioLoader = (path: string, opts: { sampleRate: number }) => Promise<Audio>;

export interface LoadProgress {
  done: number;
  total: number;
  file: string;
  cacheHits: number;
}

export interface LoadClipOptions {
  /** Cache folder; default `<repo>/.cache/features`; `false` turns the cache off. */
  cacheDir?: string | false;
  /** Called after every clip; when absent a progress line with ETA goes to stderr. */
  onProgress?: (p: LoadProgress) => void;
  /** Where short clips get their zeros: 'start' (the original project) or 'centre'. Overrides the config's padMode. */
  padMode?: PadMode;
  /**
   * Also return each clip's whole frame sequence (extractor.frames() of the clip, zero-padded to at
   * least one clip length like padOrTrim, never trimmed): what augmentation crops and mixes.
   */
  frames?: boolean;
  /** Decoder, injectable for tests; default lib/audio loadAudio. */
  loader?: AudioLoader;
  /** Source fingerprint override for the cache (tests). */
  codeVersion?: { audio: string; features: string };
}

export interface SkippedClip {
  file: string;
  /** The AudioError reason ('truncated', 'not-audio', 'non-finite' for NaN features, …) or 'unreadable'. */
  reason: string;
  message: string;
}

export interface ClipDataset {
  /** The clips that loaded, in listing order (skipped ones removed). */
  clips: ClipRecord[];
  /** Row-major [n, frames, bins]. */
  features: Float32Array;
  shape: [n: number, frames: number, bins: number];
  /** Present when `frames: true`: every kept clip's frames, item i = clips[i]. */
  frames?: FrameStore;
  skipped: SkippedClip[];
  config: FeatureConfig;
  stats: { decoded: number; cacheHits: number; seconds: number };
}

/** The feature matrix of clip i, a view into `ds.features` (no copy). */
export function clipMatrix(ds: Pick<ClipDataset, 'features' | 'shape'>, i: number): Matrix {
  const [, rows, cols] = ds.shape;
  return { data: ds.features.subarray(i * rows * cols, (i + 1) * rows * cols), rows, cols };
}

export async function loadClipDataset(
  dataDir: string | ClipFolders,
  featureConfig: Partial<FeatureConfig>,
  opts: LoadClipOptions = {},
): Promise<ClipDataset> {
  const { clips, skipped } = scanClips(dataDir);
  const dataset = await loadClips(clips, featureConfig, opts);
  dataset.skipped.push(...skipped.map((k) => ({ file: k.file, reason: k.reason, message: k.message })));
  return dataset;
}

/** A data set without clips (annotated recordings alone), shaped for `config`. */
export function emptyClipDataset(config: FeatureConfig): ClipDataset {
  const extractor = configureFeatures(config);
  const [frames, bins] = extractor.shape;
  return { clips: [], features: new Float32Array(0), shape: [0, frames, bins], frames: packFrames([], extractor.frameBins), skipped: [], config, stats: { decoded: 0, cacheHits: 0, seconds: 0 } };
}

export async function loadClips(
  clips: readonly ClipRecord[],
  featureConfig: Partial<FeatureConfig>,
  opts: LoadClipOptions = {},
): Promise<ClipDataset> {
  const started = Date.now();
  const config = resolveFeatureConfig({ ...featureConfig, ...(opts.padMode ? { padMode: opts.padMode } : {}) });
  const extractor = configureFeatures(config);
  const [frames, bins] = extractor.shape;
  const clipSamples = clipSamplesOf(config);
  const padMode = config.padMode;
  const loader = opts.loader ?? loadAudio;
  const cache = opts.cacheDir === false ? null : new FeatureCache({ dir: opts.cacheDir, codeVersion: opts.codeVersion });
  const settings = { feature: config, clip: { clipSamples, padMode } };
  const key = cache?.featureKey(settings) ?? '';
  const frameSettingsOf = { frames: frameSettings(config), clip: { clipSamples, padMode, trimmed: false } };
  const frameKey = cache?.featureKey(frameSettingsOf) ?? '';

  const size = frames * bins;
  const features = new Float32Array(clips.length * size);
  const kept: ClipRecord[] = [];
  const clipFrames: Matrix[] = [];
  const skipped: SkippedClip[] = [];
  let decoded = 0;
  let cacheHits = 0;
  const progress = opts.onProgress ? null : new Progress('clips', clips.length);

  for (const [i, clip] of clips.entries()) {
    try {
      const bytes = await readFile(clip.file);
      const hash = sha256Hex(bytes);
      let matrix = cache?.readFeatures(hash, key, [frames, bins]) ?? null;
      let seq = opts.frames ? (cache?.readMatrix(hash, frameKey, extractor.frameBins) ?? null) : null;
      let full: Float32Array | null = null;
      if (!matrix || (opts.frames && !seq)) {
        full = cache?.readWaveform(hash, config.sampleRate) ?? null;
        if (!full) {
          full = await decode(loader, clip.file, config.sampleRate);
          decoded++;
          cache?.writeWaveform(hash, config.sampleRate, full);
        }
      }
      if (opts.frames && !seq) {
        seq = extractor.frames(full!.length >= clipSamples ? full! : padOrTrim(full!, clipSamples, padMode));
        cache?.writeFeatures(hash, frameKey, seq, frameSettingsOf);
      }
      if (matrix) cacheHits++;
      else {
        matrix = extractor.extractClip(padOrTrim(full!, clipSamples, padMode));
        if (!isFinite(matrix.data)) {
          throw new AudioError(clip.file, 'non-finite', 'feature extraction gave NaN or Inf', 'check the clip with ffprobe; re-export it');
        }
        cache?.writeFeatures(hash, key, matrix, settings);
      }
      if (matrix.rows !== frames || matrix.cols !== bins) {
        throw new Error(`capuchin: ${clip.file}: features are ${matrix.rows}×${matrix.cols}, expected ${frames}×${bins}`);
      }
      features.set(matrix.data, kept.length * size);
      kept.push(clip);
      if (seq) clipFrames.push(seq);
    } catch (err) {
      const skip = toSkipped(clip.file, err);
      if (!skip) throw err;
      skipped.push(skip);
    }
    const done = i + 1;
    if (opts.onProgress) opts.onProgress({ done, total: clips.length, file: clip.file, cacheHits });
    else progress!.update(done, `(${cacheHits} cached, ${skipped.length} skipped)`);
  }

  return {
    clips: kept,
    features: kept.length === clips.length ? features : features.subarray(0, kept.length * size),
    shape: [kept.length, frames, bins],
    ...(opts.frames ? { frames: packFrames(clipFrames, extractor.frameBins) } : {}),
    skipped,
    config,
    stats: { decoded, cacheHits, seconds: (Date.now() - started) / 1000 },
  };
}

async function decode(loader: AudioLoader, file: string, sampleRate: number): Promise<Float32Array> {
  const audio = await loader(file, { sampleRate });
  if (audio.sampleRate !== sampleRate) {
    throw new Error(`capuchin: ${file}: loader returned ${audio.sampleRate} Hz, asked for ${sampleRate} Hz`);
  }
  return audio.samples;
}

function toSkipped(file: string, err: unknown): SkippedClip | null {
  if (err instanceof AudioError) return { file, reason: err.reason, message: err.message };
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return { file, reason: 'unreadable', message: `capuchin: ${file}: cannot read (${code}). Fix: check the file exists and is readable.` };
  }
  return null;
}

function isFinite(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return false;
  return true;
}
