/** lib/features public API. */
export {
  DEFAULT_FEATURE_CONFIG,
  FEATURE_KINDS,
  PAD_MODES,
  FeatureConfigError,
  clipSamples,
  featureBins,
  featureShape,
  resolveFeatureConfig,
  type FeatureConfig,
  type FeatureKind,
  type PadMode,
} from './config.ts';
export { configureFeatures, type FeatureExtractor } from './extractor.ts';
export { assertShape, copyMatrix, createMatrix, matrixFrom, matrixRow, sliceRows, type Matrix } from './matrix.ts';
export { Stft, StftStream, frameCount, type FrameRange, type StftOptions, type SpectrumValue } from './stft.ts';
export { FrameAnalyzer, type FramingOptions } from './frame.ts';
export { RealFft } from './realFft.ts';
export { hannWindow } from './window.ts';
export { MelBank, hertzToMel, melToHertz, melWeightMatrix, type MelBankOptions } from './mel.ts';
export { powerToDb, type PowerToDbOptions } from './db.ts';
export { Dct, dctOrthoBasis } from './mfcc.ts';
export { extractFrameFeatures, isVectorFeature, type FrameFeatures, type FrameFeatureValue } from './frameFeatures.ts';
export { FEATURE_NAMES, FRAME_EXTRACTORS, isFeatureName, type FeatureName } from './registry.ts';
