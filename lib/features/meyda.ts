/**
 * Typed bridge to the `meyda` package: its per-feature extractor functions and filter-bank builders.
 *
 * Meyda.extract(features, buffer) windows the buffer, FFTs it (buffer length = Meyda.bufferSize, which
 * must be a power of two) and passes one args object to each extractor. capuchin does that shared work
 * once per frame itself (lib/features/frame.ts: periodic Hann over frameLength samples, zero-padded to
 * fftLength, fft.js) and calls Meyda's extractors with the same args object Meyda.extract would build
 * for that windowed, zero-padded buffer with windowingFunction 'rect' and bufferSize = fftLength — so
 * every value equals Meyda.extract's on that buffer (checked in frameFeatures.test.ts).
 */
import { createRequire } from 'node:module';

/** The args object Meyda.extract hands to each extractor (the fields capuchin's extractors use). */
export interface MeydaFrameContext {
  /** the frame as Meyda sees it: windowed and zero-padded, bufferSize values */
  signal: Float32Array;
  /** |FFT| for bins 0..bufferSize/2 − 1 (Meyda drops the Nyquist bin) */
  ampSpectrum: Float32Array;
  bufferSize: number;
  sampleRate: number;
  /** Meyda's own mel bank (0 Hz..Nyquist, mel = 1125·ln(1+f/700)), used by its mfcc */
  melFilterBank: number[][];
  chromaFilterBank: number[][];
  barkScale: Float32Array;
  numberOfMFCCCoefficients: number;
  numberOfBarkBands: number;
}

type MeydaExtractorFn = (args: MeydaFrameContext) => unknown;

interface MeydaUtilities {
  createMelFilterBank(numFilters: number, sampleRate: number, bufferSize: number): number[][];
  createChromaFilterBank(numFilters: number, sampleRate: number, bufferSize: number): number[][];
  createBarkScale(length: number, sampleRate: number, bufferSize: number): Float32Array;
}

const require = createRequire(import.meta.url);
/** Meyda's filter-bank builders (not re-exported by its main entry). */
export const meydaUtilities = require('meyda/dist/node/utilities.js') as MeydaUtilities;

// meyda ships CommonJS (module.exports = Meyda) with ESM typings, so load it with require to get the object itself.
const extractors = (require('meyda') as { featureExtractors: Record<string, MeydaExtractorFn> }).featureExtractors;

/** Run Meyda's extractor `name` on a prepared frame; throws if Meyda has no such extractor. */
export function runMeydaExtractor(name: string, ctx: MeydaFrameContext): unknown {
  const fn = extractors[name];
  if (typeof fn !== 'function') throw new TypeError(`meyda has no extractor '${name}' (installed meyda: ${Object.keys(extractors).join(', ')})`);
  return fn(ctx);
}

export interface MeydaBankOptions {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  mfccCount: number;
  chromaBands?: number;
  barkBands?: number;
}

/** The filter banks Meyda.extract would build for these settings, built once. */
export function meydaBanks(o: MeydaBankOptions): Pick<MeydaFrameContext, 'melFilterBank' | 'chromaFilterBank' | 'barkScale' | 'numberOfMFCCCoefficients' | 'numberOfBarkBands'> {
  return {
    melFilterBank: meydaUtilities.createMelFilterBank(Math.max(o.melBands, o.mfccCount), o.sampleRate, o.bufferSize),
    chromaFilterBank: meydaUtilities.createChromaFilterBank(o.chromaBands ?? 12, o.sampleRate, o.bufferSize),
    barkScale: meydaUtilities.createBarkScale(o.bufferSize, o.sampleRate, o.bufferSize),
    numberOfMFCCCoefficients: o.mfccCount,
    numberOfBarkBands: o.barkBands ?? 24,
  };
}
