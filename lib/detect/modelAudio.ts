/**
 * A recording's audio as the model hears it: decoded, mono, at the model's rate, in chunks, with the input
 * checks of lib/audio/inspect.ts (band limit, DC offset, clipping). scoreRecording feeds it to scoreStream in
 * the same thread; the browser page decodes in a worker of its own (decodePieces) and resamples and checks beside
 * the scoring (modelAudioOf; lib/detect/audioPort.ts), so one recording keeps two cores busy.
 *
 * No tfjs here: the page's decoding worker bundles this file without the model code.
 */
import type { ByteSource } from '../audio/byteSource.ts';
import { InputInspector } from '../audio/inspect.ts';
import { decodePieces, toRate, type NativePiece, type StreamAudioOptions } from '../audio/load.ts';
import type { FeatureConfig } from '../features/config.ts';

/** What of the model's feature config decoding and the input checks need. */
export type ModelAudioFeature = Pick<FeatureConfig, 'sampleRate' | 'fmaxHz' | 'removeDc'>;

export interface ModelAudioOptions {
  /** Seconds per chunk (streamAudio's default: 60). */
  chunkSec?: number;
  /** Decode mp3s at their full rate (lib/audio/options.ts). */
  fullRateDecode?: boolean;
}

export interface ModelAudio {
  chunks: AsyncGenerator<Float32Array>;
  /** The input checks' sentences (band limit, DC offset, clipping), once `chunks` has ended. */
  inputWarnings(): string[];
}

/** Decode `input` for a model with `feature`; decoding problems go to `warnings` as they happen, each with its fix. */
export function modelAudio(input: string | ByteSource, feature: ModelAudioFeature, opts: ModelAudioOptions = {}, warnings: string[] = []): ModelAudio {
  return modelAudioOf(decodePieces(input, decodeOptions(feature, opts, warnings)), feature, opts);
}

/** What decodePieces needs for a model with `feature` (the same on either side of lib/detect/audioPort.ts). */
export function decodeOptions(feature: ModelAudioFeature, opts: ModelAudioOptions, warnings: string[]): StreamAudioOptions {
  return {
    sampleRate: feature.sampleRate,
    chunkSec: opts.chunkSec,
    fullRateDecode: opts.fullRateDecode,
    onWarning: (w) => warnings.push(`${w.reason}: ${w.detail}. Fix: ${w.fix}`),
  };
}

/** modelAudio of pieces decoded elsewhere (the page's decoding worker): resampled and checked here. */
export function modelAudioOf(pieces: AsyncIterable<NativePiece>, feature: ModelAudioFeature, opts: ModelAudioOptions = {}): ModelAudio {
  const inspector = new InputInspector();
  const chunks = toRate(pieces, { sampleRate: feature.sampleRate, chunkSec: opts.chunkSec, onNative: inspector.onNative });
  return { chunks, inputWarnings: () => inspector.warnings(feature.fmaxHz, feature.removeDc) };
}
