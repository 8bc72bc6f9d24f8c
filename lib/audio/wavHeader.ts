/**
 * RIFF/WAVE header parsing: finds the `fmt ` and `data` chunks and validates them, naming what is wrong.
 * Reads the 64-bit layout too (RF64/BW64, WAVs over 4 GB: the sizes come from the ds64 chunk, see rf64.ts).
 *
 * Works on a prefix of the file (`bytes` may be shorter than `fileSize`) so long files can be streamed:
 * when the header runs past the prefix it throws `NeedMoreBytes` with how many bytes to read.
 */
import { AudioError } from './errors.ts';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './options.ts';
import { chunkSize, ds64BodySize, isRf64, parseDs64, UNKNOWN_SIZE, type Ds64, type RiffContainer } from './rf64.ts';

export interface WavHeader {
  /** The file's magic: 'RIFF', or 'RF64'/'BW64' for the 64-bit layout of files over 4 GB. */
  readonly container: RiffContainer;
  /** 'pcm' (integer samples) or 'float' (IEEE float). */
  readonly encoding: 'pcm' | 'float';
  /** The fmt chunk's format tag (1 PCM, 3 float, 0xFFFE extensible), or the extensible sub-format's tag. */
  readonly formatTag: number;
  readonly channels: number;
  readonly sampleRate: number;
  /** Bits per sample in the container (8, 16, 24, 32 for PCM; 32, 64 for float). */
  readonly bitsPerSample: number;
  /** Bytes per frame (one sample of every channel). */
  readonly blockAlign: number;
  /** Byte offset of the first sample (a number: offsets and sizes may pass 4 GB in an RF64). */
  readonly dataOffset: number;
  /** Bytes of sample data present in the file, whole frames only. */
  readonly dataBytes: number;
  /** Whole frames (samples per channel) present. */
  readonly frames: number;
  /**
   * Set when the data chunk declares more bytes than the file holds (a recording cut off while being written, as when
   * a recorder's battery dies): the frames above are those present.
   */
  readonly cut?: { readonly declaredBytes: number; readonly presentBytes: number };
}

/** The header continues past the bytes given: read at least `needed` bytes from the file start and retry. */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super(`need ${needed} header bytes`);
  }
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

type FmtFields = Omit<WavHeader, 'container' | 'dataOffset' | 'dataBytes' | 'frames'>;

const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG Layer 1/2',
  0x0055: 'MPEG Layer 3',
  0x0161: 'Windows Media Audio',
  0x2000: 'AC-3',
  0xf1ac: 'FLAC',
};

const FFMPEG_FIX = (file: string) => `convert it to 16-bit PCM: ffmpeg -i "${file}" -c:a pcm_s16le out.wav`;

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function printable(text: string): string {
  return JSON.stringify(text.replace(/[^\x20-\x7e]/g, '?'));
}

export function codecName(formatTag: number): string {
  return CODEC_NAMES[formatTag] ?? `format tag 0x${formatTag.toString(16).padStart(4, '0')}`;
}

/** The RIFF/RF64 container of a WAV's first 12 bytes; refuses empty, short, big-endian and non-WAV files. */
function riffContainer(bytes: Uint8Array, file: string, fileSize: number): RiffContainer {
  if (fileSize === 0) throw new AudioError(file, 'empty', 'the file has 0 bytes', 're-export or re-download it');
  if (fileSize < 12 || bytes.length < 12) {
    if (fileSize >= 12) throw new NeedMoreBytes(12);
    throw new AudioError(file, 'not-audio', `only ${fileSize} bytes, too short for a WAV header`, 're-export or re-download it');
  }
  const riff = fourcc(bytes, 0);
  const wave = fourcc(bytes, 8);
  if (riff === 'RIFX') {
    throw new AudioError(file, 'unsupported-codec', 'big-endian WAV (RIFX) is not supported', FFMPEG_FIX(file));
  }
  if ((riff !== 'RIFF' && !isRf64(riff)) || wave !== 'WAVE') {
    throw new AudioError(
      file,
      'not-audio',
      `the bytes start with ${printable(riff + fourcc(bytes, 4) + wave)}, not a RIFF/WAVE header`,
      'check that the file really is a WAV (the extension may be wrong), or re-export it',
    );
  }
  return riff;
}

/**
 * The whole frames of the data chunk that are in the file (all it declares, or those before the end of a file cut
 * short, with `cut`); refuses a header without fmt or data, and an empty chunk.
 */
function dataFrames(fmt: FmtFields | undefined, data: { offset: number; declared: number | undefined } | undefined, fileSize: number, file: string): { fmt: FmtFields; frames: number; cut?: WavHeader['cut'] } {
  if (!fmt) {
    if (!data) throw new AudioError(file, 'header-only', 'the file has a RIFF/WAVE header but no fmt or data chunk', 're-export it');
    throw new AudioError(file, 'bad-format', 'the file has no fmt chunk, so its encoding is unknown', 're-export it');
  }
  if (!data) {
    throw new AudioError(file, 'header-only', 'the file has a WAV header but no data chunk (no samples)', 're-export it; the write may have been cut off');
  }
  const available = fileSize - data.offset;
  const declared = data.declared ?? available;
  if (declared === 0 || available <= 0) {
    throw new AudioError(file, 'header-only', 'the data chunk is empty (0 samples)', 're-export it; the write may have been cut off');
  }
  const present = Math.min(declared, available);
  const frames = Math.floor(present / fmt.blockAlign);
  if (frames === 0) {
    throw new AudioError(file, 'header-only', `the data chunk holds ${present} bytes, less than one frame of ${fmt.blockAlign} bytes`, 're-export it; the write may have been cut off');
  }
  return { fmt, frames, ...(declared > available ? { cut: { declaredBytes: declared, presentBytes: available } } : {}) };
}

/** Parse and validate a WAV header. `fileSize` is the full file's size when `bytes` is only its start. */
export function parseWavHeader(bytes: Uint8Array, file: string, fileSize = bytes.length): WavHeader {
  const container = riffContainer(bytes, file, fileSize);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  /** More header bytes are needed: read them, unless the file itself ends first. */
  const needBytes = (needed: number, what: string): never => {
    if (needed > fileSize) {
      throw new AudioError(file, 'truncated', `the file ends after ${fileSize} bytes, inside its ${what} (needs ${needed})`, 're-download or re-export it');
    }
    throw new NeedMoreBytes(needed);
  };

  let ds64: Ds64 | undefined;
  let at = 12;
  if (isRf64(container)) {
    // the ds64 chunk must come first: it holds the 64-bit sizes the 32-bit fields leave at 0xFFFFFFFF
    if (bytes.length < 20) needBytes(20, 'ds64 chunk');
    const size = ds64BodySize(bytes, file, container);
    if (bytes.length < 20 + size) needBytes(20 + size, 'ds64 chunk');
    ds64 = parseDs64(bytes, file, container);
    at = 20 + size + (size % 2);
  }

  let fmt: FmtFields | undefined;
  /** `declared` undefined: the data runs to the end of the file. */
  let data: { offset: number; declared: number | undefined } | undefined;
  while (at + 8 <= fileSize && !(fmt && data)) {
    if (at + 8 > bytes.length) needBytes(at + 8, 'chunk header');
    const id = fourcc(bytes, at);
    const size = chunkSize(id, view.getUint32(at + 4, true), ds64);
    if (id === 'fmt ') {
      const fmtSize = size ?? UNKNOWN_SIZE;
      if (at + 8 + Math.min(fmtSize, 40) > bytes.length) needBytes(at + 8 + Math.min(fmtSize, 40), 'fmt chunk');
      fmt = parseFmt(view, at + 8, fmtSize, file);
    } else if (id === 'data') {
      data = { offset: at + 8, declared: size };
    }
    if (size === undefined) break; // no way to look past a to-the-end chunk
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }

  const whole = dataFrames(fmt, data, fileSize, file);
  return { ...whole.fmt, container, dataOffset: data!.offset, dataBytes: whole.frames * whole.fmt.blockAlign, frames: whole.frames, ...(whole.cut ? { cut: whole.cut } : {}) };
}

function parseFmt(view: DataView, at: number, size: number, file: string): FmtFields {
  if (size < 16) throw new AudioError(file, 'bad-format', `the fmt chunk is ${size} bytes, shorter than the 16 a WAV needs`, 're-export it');
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new AudioError(file, 'bad-format', `WAVE_FORMAT_EXTENSIBLE with a ${size}-byte fmt chunk (needs 40)`, 're-export it');
    formatTag = view.getUint16(at + 24, true); // first two bytes of the sub-format GUID
  }
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new AudioError(file, 'unsupported-codec', `the audio is ${codecName(formatTag)}-encoded; capuchin decodes PCM and float WAV only`, FFMPEG_FIX(file));
  }
  const encoding = formatTag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  if (channels === 0) throw new AudioError(file, 'bad-format', 'the header says 0 channels', 're-export it');
  if (sampleRate === 0) throw new AudioError(file, 'bad-format', 'the header says a sample rate of 0 Hz', 're-export it');
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioError(
      file,
      'bad-format',
      `the header says a sample rate of ${sampleRate} Hz, outside the ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz of any recorder (a damaged header)`,
      're-export it from its source',
    );
  }
  const allowedBits = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!allowedBits.includes(bitsPerSample)) {
    throw new AudioError(
      file,
      'bad-format',
      `${bitsPerSample}-bit ${encoding === 'pcm' ? 'integer' : 'float'} samples are not supported (allowed: ${allowedBits.join(', ')})`,
      FFMPEG_FIX(file),
    );
  }
  if (blockAlign !== (channels * bitsPerSample) / 8) {
    throw new AudioError(
      file,
      'bad-format',
      `block align is ${blockAlign} bytes but ${channels} channel(s) × ${bitsPerSample} bits needs ${(channels * bitsPerSample) / 8}`,
      FFMPEG_FIX(file),
    );
  }
  return { encoding, formatTag, channels, sampleRate, bitsPerSample, blockAlign };
}
