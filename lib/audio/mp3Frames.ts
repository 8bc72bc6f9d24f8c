/**
 * MPEG audio frame headers (layers I–III, MPEG 1/2/2.5): enough to tell mp3 bytes from other bytes,
 * count frames, find a stream cut mid-frame, and read the duration from the header without decoding.
 */

export interface FrameHeader {
  /** 1, 2 or 2.5 */
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly samplesPerFrame: number;
  /** Bytes in this frame, header included. */
  readonly frameBytes: number;
}

const BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/** Parse the 4-byte frame header at `at`, or undefined when it is not a valid (fixed-bitrate-index) header. */
export function parseFrameHeader(bytes: Uint8Array, at: number): FrameHeader | undefined {
  if (at + 4 > bytes.length) return undefined;
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  if ((bytes[at + 3] & 3) === 2) return undefined; // reserved emphasis
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrateKbps = BITRATES[`${version === 1 ? 1 : 2}-${layer}`][bitrateIndex];
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const frameBytes =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  const channels = bytes[at + 3] >> 6 === 3 ? 1 : 2;
  return { version, layer, bitrateKbps, sampleRate, channels, samplesPerFrame, frameBytes };
}

function sameStream(a: FrameHeader, b: FrameHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;
}

/** Size of an ID3v2 tag starting at `at` (10-byte header + syncsafe size + optional footer), or 0. */
export function id3v2Size(bytes: Uint8Array, at: number): number {
  if (at + 10 > bytes.length || bytes[at] !== 0x49 || bytes[at + 1] !== 0x44 || bytes[at + 2] !== 0x33) return 0;
  const size = ((bytes[at + 6] & 0x7f) << 21) | ((bytes[at + 7] & 0x7f) << 14) | ((bytes[at + 8] & 0x7f) << 7) | (bytes[at + 9] & 0x7f);
  return 10 + size + (bytes[at + 5] & 0x10 ? 10 : 0);
}

/** What a Xing/Info tag in a stream's first frame says: the frame count, and the LAME encoder delay and padding. */
export interface XingTag {
  /** Audio frames in the stream (the tag's own frame not counted), when the tag has the field. */
  readonly frames?: number;
  /** Samples the encoder added before the audio, and after it (from a LAME extension), when present. */
  readonly encoderDelay?: number;
  readonly encoderPadding?: number;
}

/** The Xing/Info tag inside the frame at `at`, or undefined when that frame carries none (it is then audio). */
export function xingTag(bytes: Uint8Array, at: number, header: FrameHeader): XingTag | undefined {
  if (header.layer !== 3) return undefined;
  const sideInfo = header.version === 1 ? (header.channels === 2 ? 32 : 17) : header.channels === 2 ? 17 : 9;
  const tag = at + 4 + sideInfo;
  if (tag + 8 > bytes.length || tag + 8 > at + header.frameBytes) return undefined;
  const id = String.fromCharCode(bytes[tag], bytes[tag + 1], bytes[tag + 2], bytes[tag + 3]);
  if (id !== 'Xing' && id !== 'Info') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const flags = view.getUint32(tag + 4);
  let field = tag + 8;
  let frames: number | undefined;
  if (flags & 1) {
    if (field + 4 > bytes.length) return {};
    frames = view.getUint32(field);
    field += 4;
  }
  field += (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  // LAME extension: a 9-byte encoder string, then 12 bytes, then delay and padding as two 12-bit fields.
  const lame = field;
  if (lame + 24 > bytes.length || lame + 24 > at + header.frameBytes || !isPrintable(bytes, lame, 4)) return { frames };
  const encoderDelay = (bytes[lame + 21] << 4) | (bytes[lame + 22] >> 4);
  const encoderPadding = ((bytes[lame + 22] & 0x0f) << 8) | bytes[lame + 23];
  return { frames, encoderDelay, encoderPadding };
}

function isPrintable(bytes: Uint8Array, at: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return true;
}

/** Frame count from a Xing/Info tag inside the first frame at `at`, if it has one. */
export function xingFrameCount(bytes: Uint8Array, at: number, header: FrameHeader): number | undefined {
  return xingTag(bytes, at, header)?.frames;
}

/**
 * Find the first frame confirmed by a second one right after it (same version, layer and rate), skipping a
 * leading ID3v2 tag. Random bytes almost never hold such a pair. Returns the offset and header, or undefined.
 * When the first candidate right after the tag runs past the end of `bytes`, it is returned with `cut: true`.
 */
export function findFirstFrame(bytes: Uint8Array, searchLimit = 1 << 16): { at: number; header: FrameHeader; cut: boolean } | undefined {
  const start = id3v2Size(bytes, 0);
  const end = Math.min(bytes.length - 4, start + searchLimit);
  for (let at = start; at <= end; at++) {
    const header = parseFrameHeader(bytes, at);
    if (!header) continue;
    const next = at + header.frameBytes;
    if (next > bytes.length - 4) {
      if (at === start && next >= bytes.length) return { at, header, cut: next > bytes.length };
      continue;
    }
    const second = parseFrameHeader(bytes, next);
    if (second && sameStream(header, second)) return { at, header, cut: false };
  }
  return undefined;
}

/**
 * Walks frame headers across chunks of a stream (fed in order), counting frames and noting whether the
 * stream ends inside a frame. Bytes between frames (junk, tags) are skipped one at a time until a header
 * of the same stream turns up.
 */
export class FrameScanner {
  frames = 0;
  junkBytes = 0;
  private first: FrameHeader | undefined;
  private nextAt = 0; // absolute offset where the next header is expected
  private lastFrameEnd = 0;
  private pending = new Uint8Array(0);
  private pendingAt = 0;
  private total = 0;

  /** Start scanning at this absolute offset (after the ID3 tag, at the first frame). */
  constructor(startAt: number, first: FrameHeader) {
    this.nextAt = startAt;
    this.first = first;
  }

  push(chunk: Uint8Array): void {
    const data = this.pending.length ? concat(this.pending, chunk) : chunk;
    const dataAt = this.pending.length ? this.pendingAt : this.total;
    this.total += chunk.length;
    let i = Math.max(0, this.nextAt - dataAt);
    while (i < data.length) {
      if (data.length - i < 4) break;
      const header = parseFrameHeader(data, i);
      if (header && this.first && sameStream(header, this.first)) {
        this.frames++;
        this.lastFrameEnd = dataAt + i + header.frameBytes;
        i += header.frameBytes;
      } else {
        this.junkBytes++;
        i++;
      }
    }
    this.nextAt = dataAt + i;
    this.pending = i < data.length ? data.slice(i) : new Uint8Array(0);
    this.pendingAt = dataAt + i;
  }

  /** Bytes missing from the last frame when the stream ended inside it (0 when it ended on a frame boundary). */
  missingBytes(): number {
    return Math.max(0, this.lastFrameEnd - this.total);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
