/**
 * FLAC and Ogg (Vorbis, Opus, Ogg FLAC) decoding with the maintained wasm-audio-decoders packages
 * (@wasm-audio-decoders/flac, @wasm-audio-decoders/ogg-vorbis, ogg-opus-decoder), read from a
 * ByteSource in chunks like mp3, so a recorder's hours-long FLAC is never held whole. Output is mono
 * (mean of the channels) at the file's rate (Opus decodes at 48 kHz).
 *
 * Bad input: 0 bytes → 'empty'; a first page that is not 'fLaC' / 'OggS' → 'not-audio'; an Ogg stream of
 * another codec → 'unsupported-codec'; no samples at all → 'truncated'. Frames that fail mid-stream give a
 * 'corrupt' warning (the decoders go on past them).
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { Audio } from './audio.ts';
import { sourceOf, type ByteSource } from './byteSource.ts';
import { AudioError, printWarning } from './errors.ts';
import { id3v2Size } from './mp3Frames.ts';

export type CompressedFormat = 'flac' | 'ogg';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}

interface StreamDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): Decoded | Promise<Decoded>;
  flush(): Promise<Decoded>;
  free(): void;
}

/** Bytes read and decoded per step. */
export const COMPRESSED_CHUNK_BYTES = 1 << 18;


function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

/** Which decoder a file's first bytes call for, or an AudioError saying why none. */
function pickDecoder(head: Uint8Array, format: CompressedFormat, file: string): { decoder: StreamDecoder; codec: string } {
  if (format === 'flac') {
    const at = id3v2Size(head, 0); // an ID3 tag before fLaC is legal (rare): look behind it
    if (at + 4 <= head.length ? ascii(head, at, 4) !== 'fLaC' : at === 0) {
      throw new AudioError(file, 'not-audio', `the bytes${at ? ` after its ${at}-byte ID3 tag` : ''} start with ${JSON.stringify(ascii(head, at, 4))}, not a FLAC stream ('fLaC')`, 'check that the file really is FLAC (the extension may be wrong); ffprobe shows what it is');
    }
    return { decoder: new FLACDecoder() as unknown as StreamDecoder, codec: 'FLAC' };
  }
  if (ascii(head, 0, 4) !== 'OggS') {
    throw new AudioError(file, 'not-audio', `the bytes start with ${JSON.stringify(ascii(head, 0, 4))}, not an Ogg stream ('OggS')`, 'check that the file really is Ogg (the extension may be wrong); ffprobe shows what it is');
  }
  // the first packet starts after the page header: 27 bytes + one lacing byte per segment
  const packet = 27 + head[26];
  if (ascii(head, packet, 8) === 'OpusHead') return { decoder: new OggOpusDecoder() as unknown as StreamDecoder, codec: 'Opus' };
  if (ascii(head, packet + 1, 6) === 'vorbis') return { decoder: new OggVorbisDecoder() as unknown as StreamDecoder, codec: 'Vorbis' };
  if (ascii(head, packet + 1, 4) === 'FLAC') return { decoder: new FLACDecoder() as unknown as StreamDecoder, codec: 'Ogg FLAC' };
  throw new AudioError(file, 'unsupported-codec', 'the Ogg stream holds neither Vorbis, Opus nor FLAC', `convert it: ffmpeg -i "${file}" -c:a pcm_s16le out.wav`);
}

function downmix(d: Decoded): Float32Array {
  const n = d.samplesDecoded;
  const channels = d.channelData.filter(Boolean);
  if (channels.length === 1) return channels[0].slice(0, n);
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  for (let i = 0; i < n; i++) out[i] /= channels.length;
  return out;
}

/** Decode a FLAC or Ogg file (a path, or any byte source) chunk by chunk, yielding mono chunks. */
export async function* decodeCompressedChunks(
  input: string | ByteSource,
  format: CompressedFormat,
  options: { chunkBytes?: number; onWarning?: (w: AudioError) => void; onFormat?: (info: { codec: string; channels: number }) => void } = {},
): AsyncGenerator<Audio> {
  const chunkBytes = options.chunkBytes ?? COMPRESSED_CHUNK_BYTES;
  const onWarning = options.onWarning ?? printWarning;
  const { source, owned } = await sourceOf(input);
  try {
    const file = source.name;
    if (source.size === 0) throw new AudioError(file, 'empty', 'the file has 0 bytes', 're-download or re-export it');
    const head = new Uint8Array(Math.min(source.size, 512));
    await source.read(head, head.length, 0);
    const { decoder, codec } = pickDecoder(head, format, file);
    await decoder.ready;
    let decoded = 0;
    let errors = 0;
    let rate = 0;
    const take = (d: Decoded): Audio | undefined => {
      errors += d.errors.length;
      if (d.samplesDecoded === 0) return undefined;
      if (rate && d.sampleRate !== rate) {
        throw new AudioError(file, 'bad-format', `the sample rate changes mid-stream from ${rate} Hz to ${d.sampleRate} Hz`, `re-encode it at one rate: ffmpeg -i "${file}" -ar 48000 out.flac`);
      }
      if (!rate) options.onFormat?.({ codec, channels: d.channelData.filter(Boolean).length });
      rate = d.sampleRate;
      decoded += d.samplesDecoded;
      return { samples: downmix(d), sampleRate: d.sampleRate };
    };
    try {
      const buffer = new Uint8Array(chunkBytes);
      for (let position = 0; position < source.size; ) {
        const n = await source.read(buffer, Math.min(chunkBytes, source.size - position), position);
        if (n === 0) break;
        position += n;
        const audio = take(await decoder.decode(buffer.slice(0, n)));
        if (audio) yield audio;
      }
      const tail = take(await decoder.flush());
      if (tail) yield tail;
    } finally {
      decoder.free();
    }
    if (decoded === 0) throw new AudioError(file, 'truncated', `no ${codec} audio could be decoded from its ${source.size} bytes`, 're-download or re-export it');
    if (errors > 0) onWarning(new AudioError(file, 'corrupt', `${errors} ${codec} frame(s) failed to decode and were skipped`, `re-download it, or repair it with ffmpeg -i "${file}" -c:a flac out.flac`));
  } finally {
    if (owned) await source.close();
  }
}
