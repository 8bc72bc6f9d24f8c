/** Options for loading and streaming audio, validated at the edge (zod; errors name the field and the range). */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';
import { MODEL_SAMPLE_RATE } from './audio.ts';
import type { Audio } from './audio.ts';
import type { AudioError } from './errors.ts';
import type { SampleStats } from './inspect.ts';
import type { BufferPool } from '../util/bufferPool.ts';

export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 384000;

const sampleRate = z
  .number({ invalid_type_error: 'sampleRate must be a number of Hz' })
  .int(`sampleRate must be a whole number of Hz`)
  .min(MIN_SAMPLE_RATE, `sampleRate must be in [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz`)
  .max(MAX_SAMPLE_RATE, `sampleRate must be in [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz`);

export interface LoadAudioOptions {
  /** Output rate in Hz (default MODEL_SAMPLE_RATE = 16000), or 'native' to keep the file's rate. */
  sampleRate?: number | 'native';
  /** Problems that do not stop decoding (a cut-off mp3). Default: one line on stderr. */
  onWarning?: (warning: AudioError) => void;
}

export interface StreamAudioOptions {
  /** Output rate in Hz (default MODEL_SAMPLE_RATE = 16000). */
  sampleRate?: number;
  /** Seconds per yielded chunk (default 60; the last chunk may be shorter). */
  chunkSec?: number;
  onWarning?: (warning: AudioError) => void;
  /**
   * Sees every decoded piece at the file's own rate, mono, before resampling, with its sum and clipped count
   * (input checks: lib/audio/inspect.ts).
   */
  onNative?: (piece: Audio, stats: SampleStats) => void;
  /**
   * Decode an mp3 at its full rate even where half of it is at least `sampleRate` (by default such a stream is
   * decoded at half its rate, its upper band removed before synthesis: lib/audio/mp3.ts). The count bench sets it
   * to check that counts do not change.
   */
  fullRateDecode?: boolean;
  /**
   * Pieces (decodePieces: mp3, WAV) and chunks (toRate) may be views of buffers reused for the next one: each is valid
   * until the next is asked for. For a consumer that copies what it keeps (scoreStream does): a fresh buffer per
   * chunk costs page faults, and the browser allocates them several times slower than Node (the web bench's
   * allocation row). Default: every piece and chunk is the caller's own.
   */
  reuseBuffers?: boolean;
  /**
   * Where the stream borrows the buffers it needs while it runs (a WAV's read buffer; with reuseBuffers, its
   * reused pieces and chunks), giving them back when it ends: a thread's `streamBuffers` (lib/util/bufferPool.ts),
   * so that counting many files does not allocate each file's anew. Default: allocated per stream.
   */
  pool?: BufferPool;
}

const loadSchema = z.object({
  sampleRate: z.union([sampleRate, z.literal('native')]).default(MODEL_SAMPLE_RATE),
});

const streamSchema = z.object({
  sampleRate: sampleRate.default(MODEL_SAMPLE_RATE),
  chunkSec: z
    .number({ invalid_type_error: 'chunkSec must be a number of seconds' })
    .positive('chunkSec must be in (0, 3600] s')
    .max(3600, 'chunkSec must be in (0, 3600] s')
    .default(60),
});

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RangeError(`capuchin ${what}: ${formatZodIssues(result.error, { root: 'options', limit: 1 })}`);
}

export function resolveLoadOptions(options: LoadAudioOptions = {}): { sampleRate: number | 'native' } {
  return parse(loadSchema, { sampleRate: options.sampleRate }, 'loadAudio');
}

export function resolveStreamOptions(options: StreamAudioOptions = {}): { sampleRate: number; chunkSec: number } {
  return parse(streamSchema, { sampleRate: options.sampleRate, chunkSec: options.chunkSec }, 'streamAudio');
}
