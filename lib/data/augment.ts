/**
 * Training-time augmentation of one batch: waveform-level (mix a training negative at a random
 * SNR, gain, time shift; then the features are re-extracted) and feature-level (SpecAugment
 * time/frequency masks, mixup with soft labels).
 *
 * Only a TrainingSet made by foldSets() is accepted, checked at run time as well as by type, and
 * the negatives mixed in come from the same training fold, so no validation audio leaks in.
 */
import { clipSamples, type FeatureConfig } from '../features/config.ts';
import type { FeatureExtractor } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { canonicalJson } from './cache.ts';
import { needsWaveforms, resolveAugmentConfig, type AugmentConfig, type AugmentConfigInput } from './augment-config.ts';
import { applyGain, fillColsInPlace, fillRowsInPlace, maskValue, mixAtSnr, timeShift } from './augment-ops.ts';
import { createRng, type Rng } from '../util/random.ts';
import { assertTrainingSet, positionsToClips, type Batch, type TrainingSet } from './subsets.ts';

export interface AugmentStats {
  /** Examples produced. */
  examples: number;
  /** Examples whose waveform was changed and features re-extracted. */
  reextracted: number;
  /** Wall time spent in augmentBatch (ms). */
  ms: number;
}

/**
 * The augmented batch at `positions` (indices into the training set). Draws from `rng`, so a
 * fixed seed and the same sequence of calls give the same batches.
 */
export function augmentBatch(
  train: TrainingSet,
  positions: readonly number[],
  extractor: FeatureExtractor,
  config: AugmentConfig,
  rng: Rng,
  stats?: AugmentStats,
): Batch {
  const started = performance.now();
  assertTrainingSet(train);
  checkCompatible(train, extractor, config);
  const ds = train.dataset;
  const clipIndices = positionsToClips(train, positions);
  const [, frames, bins] = ds.shape;
  const size = frames * bins;
  const features = new Float32Array(positions.length * size);
  const labels = new Float32Array(positions.length);
  const negatives = train.indices.filter((i) => ds.clips[i].label === 0);
  const rate = ds.config.sampleRate;

  clipIndices.forEach((c, b) => {
    labels[b] = ds.clips[c].label;
    const original = ds.waveforms?.[c];
    let wave = original;
    if (wave && config.mixNegative.enabled && rng.next() < config.mixNegative.probability) {
      const pool = negatives.filter((j) => j !== c);
      if (pool.length > 0) {
        const noise = ds.waveforms![pool[rng.int(pool.length)]];
        wave = mixAtSnr(wave, noise, rng.uniform(config.mixNegative.minSnrDb, config.mixNegative.maxSnrDb));
      }
    }
    if (wave && config.gain.enabled && rng.next() < config.gain.probability) {
      wave = applyGain(wave, rng.uniform(-config.gain.maxDb, config.gain.maxDb));
    }
    if (wave && config.timeShift.enabled && rng.next() < config.timeShift.probability) {
      const shift = Math.round(rng.uniform(-config.timeShift.maxSec, config.timeShift.maxSec) * rate);
      wave = timeShift(wave, shift, config.timeShift.mode);
    }
    const target: Matrix = { data: features.subarray(b * size, (b + 1) * size), rows: frames, cols: bins };
    if (wave && wave !== original) {
      target.data.set(extractor.extractClip(wave).data);
      if (stats) stats.reextracted++;
    } else target.data.set(ds.features.subarray(c * size, (c + 1) * size));
    applyMasks(target, config, rng);
  });

  if (config.mixup.enabled && positions.length > 1) mixupInPlace(features, labels, size, config, rng);
  if (stats) {
    stats.examples += positions.length;
    stats.ms += performance.now() - started;
  }
  return { features, labels, shape: [positions.length, frames, bins], clipIndices };
}

export interface Augmenter {
  readonly config: AugmentConfig;
  readonly stats: AugmentStats;
  /** The next augmented batch at `positions` (indices into the training set). */
  batch(positions: readonly number[]): Batch;
}

/** An augmenter over one training fold with its own random stream seeded from `config.seed`. */
export function createAugmenter(train: TrainingSet, extractor: FeatureExtractor, config: AugmentConfigInput | AugmentConfig = {}): Augmenter {
  assertTrainingSet(train);
  const resolved = resolveAugmentConfig(config as AugmentConfigInput);
  checkCompatible(train, extractor, resolved);
  const rng = createRng(resolved.seed);
  const stats: AugmentStats = { examples: 0, reextracted: 0, ms: 0 };
  return { config: resolved, stats, batch: (positions) => augmentBatch(train, positions, extractor, resolved, rng, stats) };
}

function applyMasks(m: Matrix, config: AugmentConfig, rng: Rng): void {
  const { timeMask, freqMask } = config;
  if (!timeMask.enabled && !freqMask.enabled) return;
  const value = maskValue(m, config.maskFill);
  if (timeMask.enabled) {
    for (let k = 0; k < timeMask.count; k++) {
      const width = rng.int(timeMask.maxWidth + 1);
      fillRowsInPlace(m, rng.int(m.rows - width + 1), width, value);
    }
  }
  if (freqMask.enabled) {
    for (let k = 0; k < freqMask.count; k++) {
      const width = rng.int(freqMask.maxWidth + 1);
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

function checkCompatible(train: TrainingSet, extractor: FeatureExtractor, config: AugmentConfig): void {
  const ds = train.dataset;
  const [, frames, bins] = ds.shape;
  const same = (a: FeatureConfig, b: FeatureConfig) => canonicalJson(a) === canonicalJson(b);
  if (extractor.shape[0] !== frames || extractor.shape[1] !== bins || !same(extractor.config, ds.config)) {
    throw new Error(
      `capuchin: the feature extractor (${extractor.config.kind}, ${extractor.shape.join('×')}) does not match the data set's ` +
        `features (${ds.config.kind}, ${frames}×${bins}). Fix: configureFeatures(dataset.config).`,
    );
  }
  if (needsWaveforms(config) && !ds.waveforms) {
    throw new Error(
      'capuchin: time shift, gain and negative mixing need the clip waveforms. Fix: loadClipDataset(dir, cfg, { waveforms: true }).',
    );
  }
  if (config.timeMask.enabled && config.timeMask.maxWidth > frames) {
    throw new Error(`augment config: timeMask.maxWidth must be in [0, ${frames}] (frames per clip), got ${config.timeMask.maxWidth}`);
  }
  if (config.freqMask.enabled && config.freqMask.maxWidth > bins) {
    throw new Error(`augment config: freqMask.maxWidth must be in [0, ${bins}] (bins per frame), got ${config.freqMask.maxWidth}`);
  }
  const clipSec = clipSamples(ds.config) / ds.config.sampleRate;
  if (config.timeShift.enabled && config.timeShift.maxSec > clipSec) {
    throw new Error(`augment config: timeShift.maxSec must be in [0, ${clipSec}] (the clip length), got ${config.timeShift.maxSec}`);
  }
}
