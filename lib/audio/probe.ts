/** Cheap facts about an audio file from its header alone (no decoding), for data exploration. */
import { open, stat } from 'node:fs/promises';
import { decodeCompressedChunks } from './codecs.ts';
import { AudioError } from './errors.ts';
import { formatOf } from './formats.ts';
import { findFirstFrame, xingFrameCount } from './mp3Frames.ts';
import { readWavHeader } from './wav.ts';

export interface AudioProbe {
  sampleRate: number;
  channels: number;
  durationSec: number;
  /** true when the duration is estimated from the bitrate (mp3 without a Xing/Info frame count). */
  durationEstimated: boolean;
  /** Bits per sample (WAV only). */
  bitDepth?: number;
  /** ffmpeg-style codec name: pcm_s16le, pcm_f32le, …, mp3, mp2, mp1. */
  codec: string;
  bytes: number;
}

export async function probeAudio(path: string): Promise<AudioProbe> {
  const format = formatOf(path);
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new AudioError(path, 'missing', 'the file does not exist', 'check the path and the file name');
    throw err;
  });
  if (format === 'wav') {
    const h = await readWavHeader(path);
    const codec = h.encoding === 'float' ? `pcm_f${h.bitsPerSample}le` : h.bitsPerSample === 8 ? 'pcm_u8' : `pcm_s${h.bitsPerSample}le`;
    return { sampleRate: h.sampleRate, channels: h.channels, durationSec: h.frames / h.sampleRate, durationEstimated: false, bitDepth: h.bitsPerSample, codec, bytes: info.size };
  }
  if (info.size === 0) throw new AudioError(path, 'empty', 'the file has 0 bytes', 're-download or re-export it');
  if (format === 'flac' || format === 'ogg') {
    // no header parsing of our own: decode the stream (exact duration; a long file takes its decode time)
    let samples = 0;
    let sampleRate = 0;
    let stream = { codec: format as string, channels: 0 };
    for await (const piece of decodeCompressedChunks(path, format, { onWarning: () => {}, onFormat: (f) => (stream = f) })) {
      samples += piece.samples.length;
      sampleRate = piece.sampleRate;
    }
    return { sampleRate, channels: stream.channels, durationSec: samples / sampleRate, durationEstimated: false, codec: stream.codec, bytes: info.size };
  }
  const handle = await open(path, 'r');
  try {
    const prefix = new Uint8Array(Math.min(info.size, 1 << 17));
    await handle.read(prefix, 0, prefix.length, 0);
    const first = findFirstFrame(prefix);
    if (!first) throw new AudioError(path, 'not-audio', 'no MPEG audio frames found in the first bytes', 'check that the file really is an mp3; ffprobe shows what it is');
    const { header } = first;
    const frames = xingFrameCount(prefix, first.at, header);
    const durationSec = frames !== undefined ? (frames * header.samplesPerFrame) / header.sampleRate : ((info.size - first.at) * 8) / (header.bitrateKbps * 1000);
    return { sampleRate: header.sampleRate, channels: header.channels, durationSec, durationEstimated: frames === undefined, codec: `mp${header.layer}`, bytes: info.size };
  } finally {
    await handle.close();
  }
}
