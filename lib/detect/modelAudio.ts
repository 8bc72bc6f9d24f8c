/**
 * A recording's audio as the model hears it: decoded, mono, at the model's rate, in chunks, with the input
 * checks of lib/audio/inspect.ts (band limit, DC offset, clipping). scoreRecording feeds it to scoreStream in
 * the same thread; the browser page runs it in a worker of its own and scores beside it (lib/detect/audioPort.ts),
 * so one recording keeps two cores busy.
 *
 * No tfjs here: the page's decoding worker bundles this file without the model code.
 */
import type { ByteSource } from '../audio/byteSource.ts';
import { InputInspector } from '../audio/inspect.ts';
import { streamAudio } from '../audio/load.ts';
import type { FeatureConfig } from '../features/config.ts';
import { streamBuffers } from '../util/bufferPool.ts';

/** What of the model's feature config decoding and the input checks need. */
export type ModelAudioFeature = Pick<FeatureConfig, 'sampleRate' | 'fmaxHz' | 'removeDc'>;

export interface ModelAudioOptions {
  /** Seconds per chunk (streamAudio's default: 60). */
  chunkSec?: number;
  /** Decode mp3s at their full rate (lib/audio/options.ts). */
  fullRateDecode?: boolean;
  /**
   * Borrow the stream's buffers from the thread's pool (`streamBuffers`, lib/util/bufferPool.ts; default true); false
   * allocates them per recording, as the count bench's "stream buffers" row does to measure the difference.
   */
  poolBuffers?: boolean;
}

export interface ModelAudio {
  /** Each chunk is valid until the next is asked for (buffers are reused: StreamAudioOptions.reuseBuffers). */
  chunks: AsyncGenerator<Float32Array>;
  /** The input checks' sentences (band limit, DC offset, clipping), once `chunks` has ended. */
  inputWarnings(): string[];
}

/** Decode `input` for a model with `feature`; decoding problems go to `warnings` as they happen, each with its fix. */
export function modelAudio(input: string | ByteSource, feature: ModelAudioFeature, opts: ModelAudioOptions = {}, warnings: string[] = []): ModelAudio {
  const inspector = new InputInspector();
  const chunks = streamAudio(input, {
    sampleRate: feature.sampleRate,
    chunkSec: opts.chunkSec,
    fullRateDecode: opts.fullRateDecode,
    reuseBuffers: true, // scoreStream and the page's decoding worker copy what they keep
    pool: opts.poolBuffers === false ? undefined : streamBuffers,
    onNative: inspector.onNative,
    onWarning: (w) => warnings.push(`${w.reason}: ${w.detail}. Fix: ${w.fix}`),
  });
  return { chunks, inputWarnings: () => inspector.warnings(feature.fmaxHz, feature.removeDc) };
}
