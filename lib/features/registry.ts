/**
 * Every per-frame extractor in lib/features/extractors/, one file each (meyda's featureExtractors.ts).
 * Adding a file plus one line here extends `FeatureName` and extractFrameFeatures.
 * registry.test.ts checks that this object and the folder agree.
 */
import chroma from './extractors/chroma.ts';
import energy from './extractors/energy.ts';
import loudness from './extractors/loudness.ts';
import mfcc from './extractors/mfcc.ts';
import perceptualSharpness from './extractors/perceptualSharpness.ts';
import perceptualSpread from './extractors/perceptualSpread.ts';
import rms from './extractors/rms.ts';
import spectralCentroid from './extractors/spectralCentroid.ts';
import spectralCrest from './extractors/spectralCrest.ts';
import spectralFlatness from './extractors/spectralFlatness.ts';
import spectralKurtosis from './extractors/spectralKurtosis.ts';
import spectralRolloff from './extractors/spectralRolloff.ts';
import spectralSkewness from './extractors/spectralSkewness.ts';
import spectralSlope from './extractors/spectralSlope.ts';
import spectralSpread from './extractors/spectralSpread.ts';
import zcr from './extractors/zcr.ts';

export const FRAME_EXTRACTORS = {
  chroma,
  energy,
  loudness,
  mfcc,
  perceptualSharpness,
  perceptualSpread,
  rms,
  spectralCentroid,
  spectralCrest,
  spectralFlatness,
  spectralKurtosis,
  spectralRolloff,
  spectralSkewness,
  spectralSlope,
  spectralSpread,
  zcr,
} as const;

export type FeatureName = keyof typeof FRAME_EXTRACTORS;

export const FEATURE_NAMES = Object.keys(FRAME_EXTRACTORS) as FeatureName[];

export function isFeatureName(name: string): name is FeatureName {
  return Object.hasOwn(FRAME_EXTRACTORS, name);
}
