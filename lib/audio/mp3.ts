/**
 * mp3 (MPEG layer I/II/III) decoding with minimp3 in wasm (minimp3.ts), in chunks so a multi-hour file
 * never needs its whole 48 kHz float buffer. Output is mono (mean of the channels).
 *
 * Gapless, as ffmpeg and mpg123 decode: the Xing/Info frame is not audio and is dropped; with a LAME
 * extension the encoder delay (+ the decoder's 529 samples) is cut from the start and the padding from the end.
 *
 * Bad input
 * - 0 bytes → 'empty'; bytes with no run of two valid frame headers → 'not-audio' (a decoder alone would
 *   "decode" random bytes into noise, so the stream is sniffed first).
 * - A stream that ends inside a frame decodes every whole frame and reports a 'truncated' warning; one with
 *   no whole frame at all throws 'truncated'. Frames that fail to decode mid-stream give a 'corrupt' warning.
 * Warnings go to `onWarning` (default: one line on stderr).
 */
import { concatSamples, type Audio } from './audio.ts';
import { sourceOf, type ByteSource } from './byteSource.ts';
import { AudioError, printWarning } from './errors.ts';
import { Minimp3Decoder } from './minimp3.ts';
import { FrameScanner, findFirstFrame, id3v2Size, xingTag } from './mp3Frames.ts';
import { DEFAULT_RESAMPLE_FILTER } from './resampleFilter.ts';

/** Samples an mp3 decoder's synthesis filterbank delays its output by (LAME's gapless convention). */
const DECODER_DELAY = 529;

export interface Mp3DecodeOptions {
  /** Bytes read and decoded per step (default 256 KiB ≈ 16 s of 128 kbps audio). */
  chunkBytes?: number;
  /** Called with problems that do not stop decoding. Default: print the message on stderr. */
  onWarning?: (warning: AudioError) => void;
  /**
   * The rate the caller resamples to. Where decoding at half the stream's rate keeps all that resampling to it lets
   * through (halfRateKeeps), the decoder outputs half the rate: the upper half of the band is removed in minimp3's
   * subbands and half of its synthesis skipped. Default: every sample at the stream's rate.
   */
  targetRate?: number;
  /**
   * Yield views of buffers the decoder reuses: each piece is valid until the next is asked for (for a consumer that
   * copies what it keeps, like the browser page's decoding worker: fresh buffers are slow to allocate there). Default:
   * every piece is the caller's own.
   */
  reuseBuffers?: boolean;
}

export const DEFAULT_MP3_CHUNK_BYTES = 1 << 18;


/** Decode an mp3 file (a path, or any byte source) chunk by chunk, yielding mono chunks (bounded memory). */
export async function* decodeMp3Chunks(input: string | ByteSource, options: Mp3DecodeOptions = {}): AsyncGenerator<Audio> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_MP3_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 4096) {
    throw new RangeError(`capuchin mp3: chunkBytes must be an integer ≥ 4096, got ${chunkBytes}`);
  }
  const { source, owned } = await sourceOf(input);
  try {
    const { size, name: path } = source;
    const head = new Uint8Array(Math.min(size, 10));
    await source.read(head, head.length, 0);
    const tag = id3v2Size(head, 0); // skipped: a large tag (cover art) must not hide the first frames from the sniff
    const session = new Mp3Session(path, size, tag, options.onWarning ?? printWarning, options.targetRate, options.reuseBuffers);
    const buffer = new Uint8Array(chunkBytes);
    for (let position = tag; position < size; ) {
      const bytesRead = await source.read(buffer, Math.min(chunkBytes, size - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      for (const audio of session.decode(buffer.subarray(0, bytesRead))) yield audio;
    }
    for (const audio of session.finish()) yield audio;
  } finally {
    if (owned) await source.close();
  }
}

/** Decode a whole mp3 held in memory (small files; use decodeMp3Chunks for long recordings). */
export async function decodeMp3(bytes: Uint8Array, file: string, options: Pick<Mp3DecodeOptions, 'onWarning' | 'targetRate'> = {}): Promise<Audio> {
  const tag = id3v2Size(bytes, 0);
  const session = new Mp3Session(file, bytes.length, tag, options.onWarning ?? printWarning, options.targetRate);
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  const keep = (pieces: Audio[]) => {
    for (const audio of pieces) {
      parts.push(audio.samples);
      sampleRate = audio.sampleRate;
    }
  };
  for (let at = tag; at < bytes.length; at += DEFAULT_MP3_CHUNK_BYTES) keep(session.decode(bytes.subarray(at, at + DEFAULT_MP3_CHUNK_BYTES)));
  keep(session.finish());
  return { samples: concatSamples(parts), sampleRate };
}

/**
 * Whether decoding at half the stream's rate keeps all that resampling to `targetRate` lets through: the subbands
 * kept (0–15 of 32) reach a quarter of the stream's rate, and the top one's uncancelled aliasing stays within its
 * own 1/64 of the rate, so everything below 15/64 of the rate is the full decode's. That must reach the
 * resampler's stopband edge. 48 and 44.1 kHz → 16 kHz qualify (11.25 and 10.3 kHz ≥ 8.8 kHz); 32 kHz does not.
 */
export function halfRateKeeps(streamRate: number, targetRate: number): boolean {
  return (streamRate * 15) / 64 >= (DEFAULT_RESAMPLE_FILTER.stopbandFraction * targetRate) / 2;
}

/** One file's decoding state: the sniffed stream, the frame scanner, the wasm decoder and the gapless trim. */
class Mp3Session {
  /** Made by sniff(), which knows the stream's rate and encoder delay. */
  private decoder: Minimp3Decoder | undefined;
  private scanner: FrameScanner | undefined;
  private decodedSamples = 0;
  /** Bytes of the first push not given to the decoder (the Xing/Info frame and anything before it). */
  private dropBytes = 0;
  /** Samples still to cut from the start (encoder delay), and to hold back for the end (encoder padding). */
  private skipSamples = 0;
  private padding = 0;
  private held: Float32Array = new Float32Array(0);

  /** `tagBytes`: the leading ID3v2 tag, not fed to the decoder. */
  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly tagBytes: number,
    private readonly onWarning: (warning: AudioError) => void,
    private readonly targetRate?: number,
    private readonly reuseBuffers = false,
  ) {
    if (size === 0) throw new AudioError(file, 'empty', 'the file has 0 bytes', 're-download or re-export it');
    if (tagBytes >= size) {
      throw new AudioError(file, 'header-only', `the file holds an ID3 tag (${tagBytes} bytes) and no audio frames`, 're-export it; the write may have been cut off');
    }
  }

  /** Decode the next bytes of the file; returns their mono audio in order, in 0–2 pieces (none when no samples came out yet). */
  decode(bytes: Uint8Array): Audio[] {
    if (!this.scanner) this.sniff(bytes);
    this.scanner!.push(bytes);
    const drop = Math.min(this.dropBytes, bytes.length);
    this.dropBytes -= drop;
    return this.emit(bytes.subarray(drop), false);
  }

  /**
   * After the last bytes: decode the frames held for the sync margin and return them (padding cut); throw
   * when nothing decoded, warn about a cut last frame or bad frames.
   */
  finish(): Audio[] {
    const last = this.emit(new Uint8Array(0), true);
    const missing = this.scanner?.missingBytes() ?? 0;
    if (this.decodedSamples === 0) {
      throw new AudioError(this.file, 'truncated', `the mp3 stream ends before its first whole frame (${this.size} bytes)`, 're-download or re-export it');
    }
    if (missing > 0) {
      this.onWarning(
        new AudioError(this.file, 'truncated', `the stream is cut off inside its last frame (${missing} bytes missing); the whole frames before it were decoded`, 're-download it if the end matters'),
      );
    }
    const errors = this.decoder?.errors ?? 0;
    if (errors > 0) {
      this.onWarning(
        new AudioError(this.file, 'corrupt', `${errors} frame(s) failed to decode and were skipped`, `re-download it, or repair it with ffmpeg -i "${this.file}" -c:a libmp3lame out.mp3`),
      );
    }
    return last;
  }

  /**
   * The samples that follow the ones emitted so far: the encoder delay cut from the start, the last `padding` samples
   * held back until the next call (or cut at the end). Held samples come out as a piece of their own, not copied in
   * front of the new ones.
   */
  private emit(bytes: Uint8Array, final: boolean): Audio[] {
    if (!this.decoder) return []; // nothing sniffed: no frame yet
    const chunk = this.decoder.push(bytes, final);
    if (chunk.changedRate) { // the decoder keeps one rate per stream and stops at a frame of another
      throw new AudioError(
        this.file,
        'bad-format',
        `the sample rate changes mid-stream from ${chunk.sampleRate} Hz to ${chunk.changedRate} Hz`,
        `re-encode it at one rate: ffmpeg -i "${this.file}" -ar 48000 out.mp3`,
      );
    }
    let samples = chunk.samples;
    if (this.skipSamples > 0) {
      const cut = Math.min(this.skipSamples, samples.length);
      samples = samples.subarray(cut);
      this.skipSamples -= cut;
    }
    const pieces = [samples];
    if (this.padding > 0) {
      // of held ++ samples, hold back (or, at the end, cut) the last `padding`
      const held = this.held;
      const total = held.length + samples.length;
      const back = Math.min(this.padding, total);
      const fromSamples = Math.min(back, samples.length);
      const fromHeld = back - fromSamples;
      const next = samples.subarray(samples.length - fromSamples);
      this.held = final ? new Float32Array(0) : fromHeld > 0 ? concatSamples([held.subarray(held.length - fromHeld), next]) : next.slice();
      pieces[0] = held.subarray(0, held.length - fromHeld);
      pieces.push(samples.subarray(0, samples.length - fromSamples));
    }
    const out = pieces.filter((p) => p.length > 0);
    for (const p of out) this.decodedSamples += p.length;
    return out.map((p) => ({ samples: p, sampleRate: chunk.sampleRate }));
  }

  private sniff(bytes: Uint8Array): void {
    const first = findFirstFrame(bytes);
    if (!first) {
      throw new AudioError(
        this.file,
        'not-audio',
        'no MPEG audio frames found in the first bytes; this is not an mp3 (or it is badly damaged)',
        'check that the file really is an mp3 (the extension may be wrong); ffprobe shows what it is',
      );
    }
    if (first.cut && this.size - this.tagBytes <= bytes.length) {
      throw new AudioError(this.file, 'truncated', `the mp3 stream ends inside its first frame (${this.size} bytes)`, 're-download or re-export it');
    }
    this.scanner = new FrameScanner(first.at, first.header);
    const tag = xingTag(bytes, first.at, first.header);
    if (tag) {
      this.dropBytes = first.at + first.header.frameBytes;
      if (tag.encoderDelay !== undefined && tag.encoderPadding !== undefined) {
        this.skipSamples = tag.encoderDelay + DECODER_DELAY;
        this.padding = Math.max(0, tag.encoderPadding - DECODER_DELAY);
      }
    }
    if (this.targetRate === undefined || !halfRateKeeps(first.header.sampleRate, this.targetRate)) {
      this.decoder = new Minimp3Decoder({ reuseOutput: this.reuseBuffers });
      return;
    }
    // Half rate: keep the full-rate samples of the first kept sample's parity, so that the output's sample j is the
    // full-rate sample skip + 2j (the same instants as the full decode's, every other one).
    const phase = (this.skipSamples & 1) as 0 | 1;
    this.decoder = new Minimp3Decoder({ halfRate: phase, reuseOutput: this.reuseBuffers });
    this.skipSamples = (this.skipSamples - phase) / 2;
    // of the last `padding` full-rate samples (the stream holds an even number), those of this parity
    this.padding = (this.padding + (phase === (this.padding & 1) ? 1 : 0)) >> 1;
  }
}
