/**
 * Loading audio files: decode (by extension), check, resample to the model rate.
 * `loadAudio` for clips, `streamAudio` for hours-long recordings in bounded memory, `loadFolder` for a folder
 * that may hold bad files (they are skipped and reported, the rest load).
 */
import { lstat, readFile, stat } from 'node:fs/promises';
import { concatSamples, type Audio } from './audio.ts';
import { blobSource, type ByteSource } from './byteSource.ts';
import { decodeCompressedChunks } from './codecs.ts';
import { AudioError, type AudioErrorReason } from './errors.ts';
import { formatOf } from './formats.ts';
import { sampleStats, type SampleStats } from './inspect.ts';
import { listAudioFiles } from './listing.ts';
import { decodeMp3, decodeMp3Chunks } from './mp3.ts';
import { resolveLoadOptions, resolveStreamOptions, type LoadAudioOptions, type StreamAudioOptions } from './options.ts';
import { createResampler, resample } from './resample.ts';
import { decodeWav, decodeWavChunks } from './wav.ts';
import { firstNonFinite } from './wavSamples.ts';
import type { BufferPool } from '../util/bufferPool.ts';

export { listAudioFiles } from './listing.ts';
export type { LoadAudioOptions, StreamAudioOptions } from './options.ts';

/** Decode a .wav, .mp3, .flac or .ogg/.opus file to mono at `sampleRate` (default 16000 Hz; 'native' keeps the file's rate). */
export async function loadAudio(path: string, options: LoadAudioOptions = {}): Promise<Audio> {
  const { sampleRate } = resolveLoadOptions(options);
  const format = formatOf(path);
  const bytes = await readExisting(path);
  const audio =
    format === 'wav'
      ? decodeWav(bytes, path, { onWarning: options.onWarning })
      : format === 'mp3'
        ? await decodeMp3(bytes, path, { onWarning: options.onWarning, targetRate: sampleRate === 'native' ? undefined : sampleRate })
        : await collect(decodeCompressedChunks(blobSource(new Blob([bytes]), path), format, { onWarning: options.onWarning }));
  if (format !== 'wav') checkFinite(audio.samples, path);
  return sampleRate === 'native' ? audio : resample(audio, sampleRate);
}

/**
 * Decode and resample a long file chunk by chunk: yields mono Float32Array chunks of `chunkSec` seconds at
 * `sampleRate` (the last may be shorter). Memory stays bounded by the chunk size, so 3-hour files are fine.
 * The concatenated chunks equal `loadAudio(path, {sampleRate}).samples`. `input` is a path or a byte
 * source (a browser File); the format comes from its name's extension. It is `decodePieces` then `toRate`, which
 * may also run in two threads (the browser page's decoding worker decodes, its counting worker resamples).
 */
export function streamAudio(input: string | ByteSource, options: StreamAudioOptions = {}): AsyncGenerator<Float32Array> {
  return toRate(decodePieces(input, options), options);
}

/** A piece of a decoded file at the file's own rate, mono, with its sum and clipped count. */
export type NativePiece = Audio & { stats: SampleStats };

/**
 * streamAudio's first half: the decoder's pieces at the file's own rate, each with its sampleStats, checked finite.
 * `options.sampleRate` is the rate they are for: a WAV is read in pieces of one chunk at it, a 44.1/48 kHz mp3 may
 * be decoded at half its rate (lib/audio/mp3.ts). `onNative` is toRate's.
 */
export async function* decodePieces(input: string | ByteSource, options: StreamAudioOptions = {}): AsyncGenerator<NativePiece> {
  const { sampleRate, chunkSec } = resolveStreamOptions(options);
  const path = typeof input === 'string' ? input : input.name;
  const format = formatOf(path);
  if (typeof input === 'string') await assertExists(input);
  // WAV pieces bring their sampleStats (computed while decoding); the others get them here
  const source: AsyncGenerator<Audio & { stats?: SampleStats }> =
    format === 'wav'
      ? decodeWavChunks(input, { onWarning: options.onWarning, chunkFrames: chunkLength(sampleRate, chunkSec), reuseOutput: options.reuseBuffers, pool: options.pool }) // at the model's rate, pieces are the chunks
      : format === 'mp3'
        ? decodeMp3Chunks(input, { onWarning: options.onWarning, targetRate: options.fullRateDecode ? undefined : sampleRate, reuseBuffers: options.reuseBuffers })
        : decodeCompressedChunks(input, format, { onWarning: options.onWarning });
  for await (const piece of source) {
    const stats = piece.stats ?? sampleStats(piece.samples);
    // a sum that is not finite holds a sample that is not (the wav decoder checks its own)
    if (format !== 'wav' && !Number.isFinite(stats.sum)) checkFinite(piece.samples, path);
    yield { samples: piece.samples, sampleRate: piece.sampleRate, stats };
  }
}

/** streamAudio's second half: pieces at any rate to chunks of `chunkSec` at `sampleRate`; `onNative` sees each piece first. */
export async function* toRate(pieces: AsyncIterable<NativePiece>, options: StreamAudioOptions = {}): AsyncGenerator<Float32Array> {
  const { sampleRate, chunkSec } = resolveStreamOptions(options);
  const reuse = options.reuseBuffers ?? false;
  const rechunk = new Rechunker(chunkLength(sampleRate, chunkSec), reuse, reuse ? options.pool : undefined);
  try {
    let resampler: ReturnType<typeof createResampler> | undefined;
    for await (const piece of pieces) {
      options.onNative?.(piece, piece.stats);
      resampler ??= createResampler(piece.sampleRate, sampleRate, { reuseOutput: reuse });
      yield* rechunk.push(resampler.process(piece.samples));
    }
    if (resampler) yield* rechunk.push(resampler.flush());
    yield* rechunk.end();
  } finally {
    rechunk.release(); // the consumer is done with the last chunk once it asks past it (or stops)
  }
}

const chunkLength = (sampleRate: number, chunkSec: number) => Math.max(1, Math.round(chunkSec * sampleRate));

export interface LoadedClip {
  file: string;
  audio: Audio;
}

export interface SkippedFile {
  file: string;
  /** The AudioError reason, or 'unreadable' for other failures (permissions, I/O). */
  reason: AudioErrorReason | 'unreadable';
  message: string;
}

export interface LoadFolderOptions extends LoadAudioOptions {
  /** Called after each file (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Load every audio file (AUDIO_EXTENSIONS) in `dir` (sorted); bad files are skipped and listed in `errors`, the rest load. */
export async function loadFolder(dir: string, options: LoadFolderOptions = {}): Promise<{ clips: LoadedClip[]; errors: SkippedFile[] }> {
  resolveLoadOptions(options); // fail fast on bad options, before touching files
  const files = listAudioFiles(dir);
  const clips: LoadedClip[] = [];
  const errors: SkippedFile[] = [];
  for (const [i, file] of files.entries()) {
    try {
      clips.push({ file, audio: await loadAudio(file, options) });
    } catch (err) {
      if (err instanceof AudioError) errors.push({ file, reason: err.reason, message: err.message });
      else errors.push({ file, reason: 'unreadable', message: `capuchin: ${file}: ${err instanceof Error ? err.message : String(err)}` });
    }
    options.onProgress?.(i + 1, files.length);
  }
  return { clips, errors };
}

async function assertExists(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink()) throw new AudioError(path, 'missing', 'a symbolic link to a file that does not exist', 'restore its target or delete the link');
    throw new AudioError(path, 'missing', 'the file does not exist', 'check the path and the file name');
  }
  if (info.isDirectory()) throw new AudioError(path, 'not-audio', 'this is a folder, not an audio file', 'pass an audio file (.wav, .mp3, .flac, .ogg, .opus)');
  if (!info.isFile()) {
    // a FIFO would block the read forever, a device would never end
    const what = info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : 'a device';
    throw new AudioError(path, 'not-audio', `${what}, not a regular audio file`, 'pass the audio file itself');
  }
}

async function readExisting(path: string): Promise<Uint8Array> {
  await assertExists(path);
  return readFile(path);
}

/** The pieces of a decoder joined into one Audio. */
async function collect(pieces: AsyncGenerator<Audio>): Promise<Audio> {
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  for await (const p of pieces) {
    parts.push(p.samples);
    sampleRate = p.sampleRate;
  }
  return { samples: concatSamples(parts), sampleRate };
}

function checkFinite(samples: Float32Array, file: string): void {
  const bad = firstNonFinite(samples);
  if (bad >= 0) throw new AudioError(file, 'non-finite', `decoded sample ${bad} is ${samples[bad]}`, 're-encode the file');
}

/**
 * Cuts a stream of arbitrary pieces into fixed-length chunks. Whole chunks of a piece that start where the previous
 * chunk ended come out as views of it, not copies (a piece is not written to before the next is pushed). With
 * `reuse`, the chunks it assembles share one buffer, each valid until the next is asked for; with a `pool` too,
 * that buffer is borrowed from it when first needed and given back by `release`.
 */
class Rechunker {
  private own: Float32Array | null = null;
  private filled = 0;

  constructor(
    private readonly length: number,
    private readonly reuse = false,
    private readonly pool?: BufferPool,
  ) {}

  /** The buffer chunks are assembled in (a stream whose pieces are whole chunks never needs one). */
  private get buffer(): Float32Array {
    this.own ??= this.pool ? this.pool.floats(this.length) : new Float32Array(this.length);
    return this.own;
  }

  /** Give the borrowed buffer back (the chunks made in it must not be used after this). */
  release(): void {
    if (this.own && this.pool) this.pool.give(this.own.buffer as ArrayBuffer);
    this.own = null;
  }

  *push(piece: Float32Array): Generator<Float32Array> {
    let at = 0;
    while (this.filled === 0 && piece.length - at >= this.length) {
      yield piece.subarray(at, at + this.length);
      at += this.length;
    }
    while (at < piece.length) {
      const take = Math.min(this.length - this.filled, piece.length - at);
      this.buffer.set(piece.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.length) {
        yield this.buffer;
        if (!this.reuse) this.own = null; // the chunk is the caller's: the next gets a new buffer
        this.filled = 0;
      }
    }
  }

  *end(): Generator<Float32Array> {
    if (this.filled > 0) yield this.reuse ? this.buffer.subarray(0, this.filled) : this.buffer.slice(0, this.filled);
    this.filled = 0;
  }
}
