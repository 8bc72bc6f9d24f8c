/**
 * Training-time augmentation, in the frame domain (see augmentConfig.ts): each example starts as
 * frames (a clip's, or a window of a labelled field recording), is shifted, scaled and mixed with
 * a training negative and with field background (clear of labelled calls) in the power domain, then finished by
 * the extractor's per-window step (dB, PCEN, …), masked (SpecAugment), and finally mixed up.
 *
 * Only a TrainingSet made by foldSets() is accepted, checked at run time as well as by type; the
 * negatives mixed in come from the same training fold, field windows and background only from the
 * items the caller allows, so no validation audio leaks in.
 */
import { framesPerSec } from '../features/config.ts';
import type { FeatureExtractor } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { canonicalJson } from './cache.ts';
import { needsFrames, resolveAugmentConfig, type AugmentConfig, type AugmentConfigInput } from './augmentConfig.ts';
import { applyGainInPlace, fillColsInPlace, fillRowsInPlace, maskValue, mixFramesAtSnr, shiftedWindow } from './augmentOps.ts';
import { frameRows, frameView, type FrameStore } from './frames.ts';
import { createRng, type Rng } from '../util/random.ts';
import { assertTrainingSet, positionsToClips, type Batch, type TrainingSet } from './subsets.ts';

export interface AugmentStats {
  /** Examples produced. */
  examples: number;
  /** Examples built from frames (shifted, scaled or mixed) and finished again. */
  refinished: number;
  /** Examples mixed into field background. */
  background: number;
  /** Wall time spent building batches (ms). */
  ms: number;
}

/** One training example: a clip of the training set (by position), or a window of a field recording. */
export type ExampleSpec = { source: 'clip'; position: number } | { source: 'field'; item: number; start: number; label: 0 | 1 };

export interface AugmentSources {
  /** Frames of every clip of the data set (item i = dataset clip i); needed by the frame-domain operations. */
  clipFrames?: FrameStore;
  /** Labelled field recordings' frames; `items` are the ones this job may train on. */
  field?: { frames: FrameStore; items: readonly number[] };
  /**
   * Field recordings to mix examples into; `items` are the ones this job may use, `starts[k]` the start rows of
   * items[k] that may be drawn (default: every window; a labelled recording gives only windows clear of its calls).
   */
  background?: { frames: FrameStore; items: readonly number[]; starts?: readonly (readonly (readonly [number, number])[])[] };
}

export interface Augmenter {
  readonly config: AugmentConfig;
  readonly stats: AugmentStats;
  /** The next augmented batch of these examples. */
  batch(specs: readonly ExampleSpec[]): Batch;
}

/** An augmenter over one training fold with its own random stream seeded from `config.seed`. */
export function createAugmenter(
  train: TrainingSet,
  extractor: FeatureExtractor,
  config: AugmentConfigInput | AugmentConfig = {},
  sources: AugmentSources = {},
): Augmenter {
  assertTrainingSet(train);
  const cfg = resolveAugmentConfig(config as AugmentConfigInput);
  checkCompatible(train, extractor, cfg, sources);
  const rng = createRng(cfg.seed);
  const stats: AugmentStats = { examples: 0, refinished: 0, background: 0, ms: 0 };
  const fieldAllowed = new Set(sources.field?.items ?? []);
  const bg = sources.background;
  const bgIntervals = (bg?.items ?? []).flatMap((item, k) =>
    (bg!.starts?.[k] ?? [[0, frameRows(bg!.frames, item) - extractor.shape[0]]]).filter(([a, b]: readonly [number, number]) => b >= a).map(([from, to]: readonly [number, number]) => ({ item, from, to })),
  );
  const bgCumRows = cumulative(bgIntervals.map((r) => r.to - r.from + 1));
  const negatives = train.indices.filter((i) => train.dataset.clips[i].label === 0);
  return {
    config: cfg,
    stats,
    batch(specs) {
      const started = performance.now();
      const out = buildBatch(train, specs, extractor, cfg, rng, sources, { fieldAllowed, bgIntervals, bgCumRows, negatives }, stats);
      stats.examples += specs.length;
      stats.ms += performance.now() - started;
      return out;
    },
  };
}

/** Every training clip once, as example specs. */
export function clipSpecs(train: TrainingSet): ExampleSpec[] {
  return train.indices.map((_, position) => ({ source: 'clip' as const, position }));
}

interface Pools {
  fieldAllowed: ReadonlySet<number>;
  /** Start rows background may be drawn from: item, first and last start row. */
  bgIntervals: readonly { item: number; from: number; to: number }[];
  bgCumRows: number[];
  negatives: number[];
}

function cumulative(xs: number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const x of xs) out.push((sum += x));
  return out;
}

function buildBatch(
  train: TrainingSet,
  specs: readonly ExampleSpec[],
  extractor: FeatureExtractor,
  cfg: AugmentConfig,
  rng: Rng,
  sources: AugmentSources,
  pools: Pools,
  stats: AugmentStats,
): Batch {
  const ds = train.dataset;
  const [frames, bins] = extractor.shape;
  const size = frames * bins;
  const features = new Float32Array(specs.length * size);
  const labels = new Float32Array(specs.length);
  const clipIndices: number[] = [];
  const magnitude = extractor.config.kind === 'spectrogram';
  const fps = framesPerSec(extractor.config);
  const frameOps = needsFrames(cfg);

  specs.forEach((spec, b) => {
    const target: Matrix = { data: features.subarray(b * size, (b + 1) * size), rows: frames, cols: bins };
    let window: Matrix | null = null;
    if (spec.source === 'clip') {
      const c = positionsToClips(train, [spec.position])[0];
      clipIndices.push(c);
      labels[b] = ds.clips[c].label;
      if (frameOps) {
        let shift = 0;
        if (cfg.timeShift.enabled && rng.next() < cfg.timeShift.probability) {
          const maxSec = shiftSec(cfg, extractor.config.clipSec);
          shift = Math.round(rng.uniform(-maxSec, maxSec) * fps);
        }
        window = shiftedWindow(frameView(sources.clipFrames!, c), shift, frames, cfg.timeShift.mode);
        if (cfg.mixNegative.enabled && rng.next() < cfg.mixNegative.probability) {
          const pool = pools.negatives.length > 1 ? pools.negatives.filter((j) => j !== c) : [];
          if (pool.length > 0) {
            const noise = randomCrop(frameView(sources.clipFrames!, pool[rng.int(pool.length)]), frames, rng);
            window = mixFramesAtSnr(window, noise, rng.uniform(cfg.mixNegative.minSnrDb, cfg.mixNegative.maxSnrDb), magnitude).mixed;
          }
        }
      } else target.data.set(ds.features.subarray(c * size, (c + 1) * size));
    } else {
      if (!pools.fieldAllowed.has(spec.item)) throw new Error(`capuchin: field recording ${spec.item} is not among this job's training recordings`);
      clipIndices.push(-1);
      labels[b] = spec.label;
      const src = frameView(sources.field!.frames, spec.item);
      if (!(spec.start >= 0 && spec.start + frames <= src.rows)) throw new RangeError(`capuchin: field window at row ${spec.start} runs past the recording's ${src.rows} frames`);
      window = shiftedWindow(src, -spec.start, frames, 'zero');
    }
    if (window) {
      if (cfg.gain.enabled && rng.next() < cfg.gain.probability) applyGainInPlace(window, rng.uniform(-cfg.gain.maxDb, cfg.gain.maxDb), magnitude);
      if ((spec.source === 'clip' || cfg.background.fieldWindows) && cfg.background.enabled && pools.bgIntervals.length > 0 && rng.next() < cfg.background.probability) {
        const noise = backgroundWindow(sources.background!.frames, pools, frames, rng);
        window = mixFramesAtSnr(window, noise, rng.uniform(cfg.background.minSnrDb, cfg.background.maxSnrDb), magnitude).mixed;
        stats.background++;
      }
      target.data.set(extractor.finalize(window).data);
      stats.refinished++;
    }
    applyMasks(target, cfg, rng);
  });

  if (cfg.mixup.enabled && specs.length > 1) mixupInPlace(features, labels, size, cfg, rng);
  return { features, labels, shape: [specs.length, frames, bins], clipIndices };
}

/** `rows` consecutive frames at a random place of `src` (all of it, zero-padded at the end, when shorter). */
function randomCrop(src: Matrix, rows: number, rng: Rng): Matrix {
  const start = src.rows > rows ? rng.int(src.rows - rows + 1) : 0;
  return shiftedWindow(src, -start, rows, 'zero');
}

/** A random window of the background recordings, every allowed start position equally likely. */
function backgroundWindow(frames: FrameStore, pools: Pools, rows: number, rng: Rng): Matrix {
  const total = pools.bgCumRows[pools.bgCumRows.length - 1];
  const pick = rng.int(total);
  let k = 0;
  while (pools.bgCumRows[k] <= pick) k++;
  const { item, from } = pools.bgIntervals[k];
  const start = from + pick - (k > 0 ? pools.bgCumRows[k - 1] : 0);
  return shiftedWindow(frameView(frames, item), -start, rows, 'zero');
}

/** The largest time shift, seconds: maxFraction of the window when given, else maxSec. */
function shiftSec(cfg: AugmentConfig, clipSec: number): number {
  return cfg.timeShift.maxFraction === undefined ? cfg.timeShift.maxSec : cfg.timeShift.maxFraction * clipSec;
}

/** A mask's largest width on an axis of `size`: maxFraction of it when given, else maxWidth. */
function maskWidth(mask: { maxWidth: number; maxFraction?: number }, size: number): number {
  return mask.maxFraction === undefined ? mask.maxWidth : Math.round(mask.maxFraction * size);
}

function applyMasks(m: Matrix, config: AugmentConfig, rng: Rng): void {
  const { timeMask, freqMask } = config;
  if (!timeMask.enabled && !freqMask.enabled) return;
  const value = maskValue(m, config.maskFill);
  if (timeMask.enabled) {
    const maxWidth = maskWidth(timeMask, m.rows);
    for (let k = 0; k < timeMask.count; k++) {
      const width = rng.int(maxWidth + 1);
      fillRowsInPlace(m, rng.int(m.rows - width + 1), width, value);
    }
  }
  if (freqMask.enabled) {
    const maxWidth = maskWidth(freqMask, m.cols);
    for (let k = 0; k < freqMask.count; k++) {
      const width = rng.int(maxWidth + 1);
      fillColsInPlace(m, rng.int(m.cols - width + 1), width, value);
    }
  }
}

/** Each example, with probability p, becomes λ·itself + (1−λ)·a random other example of the batch (pre-mixup values). */
function mixupInPlace(features: Float32Array, labels: Float32Array, size: number, config: AugmentConfig, rng: Rng): void {
  const n = labels.length;
  const x = features.slice();
  const y = labels.slice();
  for (let b = 0; b < n; b++) {
    if (rng.next() >= config.mixup.probability) continue;
    let partner = rng.int(n - 1);
    if (partner >= b) partner++;
    const lambda = rng.beta(config.mixup.alpha, config.mixup.alpha);
    const mu = 1 - lambda;
    const off = b * size;
    const poff = partner * size;
    for (let i = 0; i < size; i++) features[off + i] = lambda * x[off + i] + mu * x[poff + i];
    labels[b] = lambda * y[b] + mu * y[partner];
  }
}

function checkCompatible(train: TrainingSet, extractor: FeatureExtractor, config: AugmentConfig, sources: AugmentSources): void {
  const ds = train.dataset;
  const [, frames, bins] = ds.shape;
  if (extractor.shape[0] !== frames || extractor.shape[1] !== bins || canonicalJson(extractor.config) !== canonicalJson(ds.config)) {
    throw new Error(
      `capuchin: the feature extractor (${extractor.config.kind}, ${extractor.shape.join('×')}) does not match the data set's ` +
        `features (${ds.config.kind}, ${frames}×${bins}). Fix: configureFeatures(dataset.config).`,
    );
  }
  const clipFrames = sources.clipFrames ?? ds.frames;
  if (needsFrames(config) && !clipFrames) {
    throw new Error('capuchin: time shift, gain and mixing work on the clips\' frames. Fix: loadClipDataset(dir, cfg, { frames: true }).');
  }
  if (clipFrames) sources.clipFrames = clipFrames;
  for (const [name, store] of [['clip', clipFrames], ['field', sources.field?.frames], ['background', sources.background?.frames]] as const) {
    if (store && store.bins !== extractor.frameBins) {
      throw new Error(`capuchin: ${name} frames have ${store.bins} values per frame, the extractor makes ${extractor.frameBins}. Fix: load them with the same feature config.`);
    }
  }
  if (config.timeMask.enabled && maskWidth(config.timeMask, frames) > frames) {
    throw new Error(`augment config: timeMask.maxWidth must be in [0, ${frames}] (frames per clip), got ${config.timeMask.maxWidth}`);
  }
  if (config.freqMask.enabled && maskWidth(config.freqMask, bins) > bins) {
    throw new Error(`augment config: freqMask.maxWidth must be in [0, ${bins}] (bins per frame), got ${config.freqMask.maxWidth}`);
  }
  const clipSec = ds.config.clipSec;
  if (config.timeShift.enabled && shiftSec(config, clipSec) > clipSec) {
    throw new Error(`augment config: timeShift.maxSec must be in [0, ${clipSec}] (the clip length), got ${config.timeShift.maxSec}`);
  }
}
