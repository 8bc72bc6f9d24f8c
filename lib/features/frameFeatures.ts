/**
 * Per-frame descriptors (rms, zcr, spectral centroid, …) from the Meyda-backed extractors in
 * lib/features/extractors/, for exploration (the notebook), not for the models.
 *
 * Framing is the STFT's (config frameLength/hopLength/fftLength, periodic Hann): frame i is samples
 * [i·hop, i·hop + frameLength) of `samples` as given (no pad/trim to a clip), windowed and zero-padded
 * to fftLength. Meyda requires its buffer to be a power of two, which is why the buffer it sees is the
 * fftLength (512) padded frame, not the 320-sample frame; its ampSpectrum therefore has fftLength/2 bins
 * at sampleRate/fftLength Hz spacing. Meyda's mel-based extractors use melBins bands and mfccCount
 * coefficients from the config.
 */
import { resolveFeatureConfig, type FeatureConfig } from './config.ts';
import { meydaBanks, type MeydaFrameContext } from './meyda.ts';
import { FEATURE_NAMES, FRAME_EXTRACTORS, isFeatureName, type FeatureName } from './registry.ts';
import { Stft } from './stft.ts';

/** A scalar extractor gives one Float32Array (one value per frame); a vector one gives one Float32Array per frame. */
export type FrameFeatureValue<N extends FeatureName> = ReturnType<(typeof FRAME_EXTRACTORS)[N]> extends number ? Float32Array : Float32Array[];
export type FrameFeatures<N extends FeatureName> = { [K in N]: FrameFeatureValue<K> };

export function extractFrameFeatures<N extends FeatureName>(
  samples: Float32Array,
  cfg: Partial<FeatureConfig>,
  names: readonly N[],
): FrameFeatures<N> {
  if (names.length === 0) throw new Error(`extractFrameFeatures: no feature names given (available: ${FEATURE_NAMES.join(', ')})`);
  for (const name of names)
    if (!isFeatureName(name)) throw new Error(`extractFrameFeatures: unknown feature '${name}' (available: ${FEATURE_NAMES.join(', ')})`);
  const config = resolveFeatureConfig(cfg);
  const bufferSize = config.fftLength;
  const stft = new Stft({ frameLength: config.frameLength, hopLength: config.hopLength, fftLength: bufferSize });
  const frames = stft.frameCount(samples.length);
  const ctx: MeydaFrameContext = {
    signal: new Float32Array(bufferSize),
    ampSpectrum: new Float32Array(bufferSize / 2),
    bufferSize,
    sampleRate: config.sampleRate,
    ...meydaBanks({ bufferSize, sampleRate: config.sampleRate, melBands: config.melBins, mfccCount: config.mfccCount }),
  };
  const columns = names.map(() => ({ scalar: new Float32Array(frames), vector: [] as Float32Array[] }));
  stft.forEachFrame(samples, { start: 0, end: frames }, (a, row) => {
    ctx.signal.set(a.windowed);
    const s = a.spectrum;
    for (let k = 0; k < bufferSize / 2; k++) ctx.ampSpectrum[k] = Math.sqrt(s[2 * k] * s[2 * k] + s[2 * k + 1] * s[2 * k + 1]);
    names.forEach((name, i) => {
      const value = (FRAME_EXTRACTORS[name] as (f: MeydaFrameContext) => number | Float32Array)(ctx);
      if (typeof value === 'number') columns[i].scalar[row] = value;
      else columns[i].vector.push(value);
      if (typeof value === 'number' === isVectorFeature(name)) throw new Error(`extractFrameFeatures: '${name}' returned ${typeof value}, VECTOR_FEATURES disagrees`);
    });
  });
  const out: Record<string, Float32Array | Float32Array[]> = {};
  names.forEach((name, i) => (out[name] = isVectorFeature(name) ? columns[i].vector : columns[i].scalar));
  return out as FrameFeatures<N>;
}

const VECTOR_FEATURES: ReadonlySet<FeatureName> = new Set(['chroma', 'loudness', 'mfcc']);

/** True for the extractors that give a vector per frame. */
export function isVectorFeature(name: FeatureName): boolean {
  return VECTOR_FEATURES.has(name);
}
