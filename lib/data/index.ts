/** lib/data public API: the clip data set, source groups, folds, feature cache and augmentation. */
export { CLASS_FOLDERS, groupOf, listClips, summarizeClips, type ClipLabel, type ClipRecord, type ClipSummary } from './dataset.ts';
export {
  DEFAULT_FOLDS,
  DEFAULT_SPLIT_SEED,
  assertValidFolds,
  foldSizes,
  formatFoldSizes,
  stratifiedGroupKFold,
  type Fold,
  type FoldSize,
  type SideSize,
  type SplitItem,
  type SplitOptions,
} from './split.ts';
export { DEFAULT_CACHE_DIR, FeatureCache, canonicalJson, sha256Hex, sourceFingerprint, type FeatureCacheOptions } from './cache.ts';
export {
  clipMatrix,
  loadClipDataset,
  loadClips,
  type AudioLoader,
  type ClipDataset,
  type LoadClipOptions,
  type LoadProgress,
  type SkippedClip,
} from './load.ts';
export { assertTrainingSet, foldSets, gatherBatch, type Batch, type TrainingSet, type ValidationSet } from './subsets.ts';
export {
  AugmentConfigError,
  MASK_FILLS,
  needsWaveforms,
  recommendedAugment,
  resolveAugmentConfig,
  type AugmentConfig,
  type AugmentConfigInput,
  type MaskFill,
} from './augment-config.ts';
export { applyGain, freqMask, maskValue, meanPower, mixArrays, mixAtSnr, timeMask, timeShift } from './augment-ops.ts';
export { augmentBatch, createAugmenter, type AugmentStats, type Augmenter } from './augment.ts';
export { createRng, type Rng } from '../util/random.ts';
export * from './paths.ts';
