/**
 * WAV decoding: PCM 8/16/24/32-bit, float 32/64, WAVE_FORMAT_EXTENSIBLE, any channel count (mean downmix),
 * any sample rate, RIFF or RF64/BW64 (files over 4 GB: byte positions are numbers, exact to 2^53).
 * Bad files raise AudioError naming the file, what is wrong and the fix.
 */
import type { Audio } from './audio.ts';
import { openFileSource, sourceOf, type ByteSource } from './byteSource.ts';
import { AudioError, printWarning } from './errors.ts';
import { NeedMoreBytes, parseWavHeader, type WavHeader } from './wavHeader.ts';
import type { SampleStats } from './inspect.ts';
import { decodeFramesToMono, decodeFramesWithStats, firstNonFinite } from './wavSamples.ts';
import type { BufferPool } from '../util/bufferPool.ts';

export { parseWavHeader, type WavHeader } from './wavHeader.ts';

/** What a WAV decoder may report without stopping: a file cut short (its frames present are decoded). */
export interface WavWarningOptions {
  onWarning?: (w: AudioError) => void;
}

/** The warning for a WAV whose data chunk declares more than the file holds, naming the seconds of each. */
export function cutWavWarning(header: WavHeader, file: string): AudioError | null {
  if (!header.cut) return null;
  const seconds = (bytes: number) => (bytes / header.blockAlign / header.sampleRate).toFixed(1);
  return new AudioError(
    file,
    'truncated',
    `the header declares ${seconds(header.cut.declaredBytes)} s of audio but the file holds ${seconds(header.cut.presentBytes)} s (cut short, as a recorder leaves a file when its battery dies); the ${seconds(header.frames * header.blockAlign)} s there were decoded`,
    'nothing, if the recording really stopped there; otherwise copy the file again from the recorder\'s card',
  );
}

/** Report a file cut short to the caller's onWarning (stderr by default); its present frames are decoded. */
function warnIfCut(header: WavHeader, file: string, options: WavWarningOptions): void {
  const cut = cutWavWarning(header, file);
  if (cut) (options.onWarning ?? printWarning)(cut);
}

/** Decode a whole WAV file held in memory to mono. `file` names it in errors. */
export function decodeWav(bytes: Uint8Array, file: string, options: WavWarningOptions = {}): Audio {
  const header = parseWavHeader(bytes, file);
  warnIfCut(header, file, options);
  const samples = decodeFramesToMono(bytes, header.dataOffset, header.frames, header);
  checkFinite(samples, 0, header, file);
  return { samples, sampleRate: header.sampleRate };
}

/** Read only as much of the file as its header needs (up to 16 MiB of chunks before the samples). */
export async function readWavHeader(path: string): Promise<WavHeader> {
  const source = await openFileSource(path);
  try {
    return await readHeader(source);
  } finally {
    await source.close();
  }
}

export interface WavChunkOptions extends WavWarningOptions {
  /** Frames per yielded chunk (default 1 << 20, about 24 s at 44.1 kHz). */
  chunkFrames?: number;
  /** Decode every chunk into one buffer: each is valid until the next is asked for (StreamAudioOptions.reuseBuffers). */
  reuseOutput?: boolean;
  /** Borrow the read buffer (and, with reuseOutput, the output) here, given back when the stream ends. */
  pool?: BufferPool;
}

/** Decode a WAV file (a path, or any byte source) piece by piece: memory stays bounded however long the file is. */
export async function* decodeWavChunks(input: string | ByteSource, options: WavChunkOptions = {}): AsyncGenerator<Audio & { stats: SampleStats }> {
  const chunkFrames = options.chunkFrames ?? 1 << 20;
  if (!Number.isInteger(chunkFrames) || chunkFrames <= 0) {
    throw new RangeError(`capuchin wav: chunkFrames must be a positive integer, got ${chunkFrames}`);
  }
  const { source, owned } = await sourceOf(input);
  try {
    const path = source.name;
    const header = await readHeader(source);
    warnIfCut(header, path, options);
    const span = Math.min(chunkFrames, header.frames);
    const spanBytes = span * header.blockAlign;
    const { pool } = options;
    const readBuffer = pool?.take(spanBytes) ?? new ArrayBuffer(spanBytes);
    const output = options.reuseOutput ? (pool?.floats(span) ?? new Float32Array(span)) : undefined;
    try {
      const buffer = new Uint8Array(readBuffer, 0, spanBytes);
      for (let frame = 0; frame < header.frames; frame += chunkFrames) {
        const frames = Math.min(chunkFrames, header.frames - frame);
        const length = frames * header.blockAlign;
        const bytesRead = await source.read(buffer, length, header.dataOffset + frame * header.blockAlign);
        if (bytesRead < length) {
          throw new AudioError(path, 'truncated', `the file shrank while being read (${bytesRead} of ${length} bytes)`, 'do not modify files while capuchin reads them');
        }
        const { samples, stats } = decodeFramesWithStats(buffer, 0, frames, header, output?.subarray(0, frames));
        if (header.encoding === 'float') checkFinite(samples, frame, header, path); // integers are always finite
        yield { samples, sampleRate: header.sampleRate, stats };
      }
    } finally {
      // the consumer is done with the last chunk once it asks past it (or stops)
      pool?.give(readBuffer);
      if (output) pool?.give(output.buffer as ArrayBuffer);
    }
  } finally {
    if (owned) await source.close();
  }
}

const MAX_HEADER_BYTES = 16 << 20;

async function readHeader(source: ByteSource): Promise<WavHeader> {
  const { size, name: path } = source;
  let want = Math.min(size, 64 << 10);
  for (;;) {
    const prefix = new Uint8Array(want);
    await source.read(prefix, want, 0);
    try {
      return parseWavHeader(prefix, path, size);
    } catch (err) {
      if (!(err instanceof NeedMoreBytes)) throw err;
      if (err.needed > MAX_HEADER_BYTES) {
        throw new AudioError(path, 'bad-format', `the WAV header chunks run past ${MAX_HEADER_BYTES} bytes`, 're-export it with ffmpeg -i in.wav -c:a pcm_s16le out.wav');
      }
      want = Math.min(size, Math.max(err.needed, want * 2));
    }
  }
}

function checkFinite(samples: Float32Array, firstFrame: number, header: WavHeader, file: string): void {
  const bad = firstNonFinite(samples);
  if (bad < 0) return;
  const frame = firstFrame + bad;
  throw new AudioError(
    file,
    'non-finite',
    `sample ${frame} (at ${(frame / header.sampleRate).toFixed(3)} s) is ${samples[bad]} — the float data holds NaN or Inf`,
    'find the step that wrote NaN/Inf (a division by zero, a bad gain) and re-export the file from its source',
  );
}
