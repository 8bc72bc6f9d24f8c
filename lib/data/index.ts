/** lib/data public API: the clip data set, source groups, folds, feature cache and augmentation. */
export { groupByPattern, groupOf, kaggleClipFolders, listClips, scanClips, summarizeClips, type ClipFolders, type ClipLabel, type ClipRecord, type ClipSummary } from './dataset.ts';
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
  augments,
  needsFrames,
  recommendedAugment,
  resolveAugmentConfig,
  type AugmentConfig,
  type AugmentConfigInput,
  type MaskFill,
} from './augmentConfig.ts';
export { applyGainInPlace, freqMask, maskValue, meanFramePower, mixArrays, mixFramesAtSnr, shiftedWindow, timeMask } from './augmentOps.ts';
export { clipSpecs, createAugmenter, type AugmentSources, type AugmentStats, type Augmenter, type ExampleSpec } from './augment.ts';
export { sampleFieldSpecs, type FieldSampling } from './epoch.ts';
export {
  DEFAULT_FIELD_WINDOWS,
  fieldWindowRanges,
  fixedFieldWindows,
  loadFieldRecordings,
  type FieldData,
  type FieldLabels,
  type FieldRecording,
  type FieldWindowOptions,
  type FieldWindowRanges,
} from './field.ts';
export { readFieldLabels, type ReadFieldLabels } from './fieldLabels.ts';
export { frameItems, frameRows, frameView, packFrames, shareFrames, type FrameStore } from './frames.ts';
export {
  DEFAULT_RECORDING_ROLES,
  RECORDING_ROLES,
  ROLE_FLAGS,
  parseRecordingsPattern,
  recordingsInRole,
  resolveRecordingRoles,
  roleOf,
  type RecordingRole,
  type RecordingRoles,
} from './roles.ts';
export { createRng, type Rng } from '../util/random.ts';
export * from './paths.ts';
