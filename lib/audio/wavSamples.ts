/**
 * Decode interleaved WAV sample frames to mono float32 (the mean of the channels).
 *
 * Hand-written rather than wavefile's getSamples for a measured reason, kept in the bench: the `wav` suite
 * (`npm run bench -- --only wav`, experiments/bench/wav.ts) decodes a 10-minute 44.1 kHz stereo 16-bit file
 * with both in the same run (2026-12-05: 0.59 s against 7.3 s, 12×, with CI running beside it). wavefile is
 * still used in the tests to write every format independently.
 */
import { CLIP_LEVEL, sampleStats, type SampleStats } from './inspect.ts';
import type { WavHeader } from './wavHeader.ts';

type FrameFormat = Pick<WavHeader, 'encoding' | 'bitsPerSample' | 'channels' | 'blockAlign'>;

/**
 * Decode `frames` whole frames starting at `bytes[offset]` into mono samples in [-1, 1]
 * (integers scaled by 2^(bits−1); 8-bit is unsigned with 128 as zero; floats are copied as they are).
 */
export function decodeFramesToMono(bytes: Uint8Array, offset: number, frames: number, format: FrameFormat): Float32Array {
  return int16Frames(bytes, offset, frames, format)?.samples ?? decodeWithReader(bytes, offset, frames, format);
}

/**
 * decodeFramesToMono, and the samples' sampleStats (lib/audio/inspect.ts): for 16-bit PCM in the same pass over the
 * samples, else in a pass of their own.
 */
export function decodeFramesWithStats(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  format: FrameFormat,
  /** Where the samples go (`frames` long); default a new array. */
  into?: Float32Array,
): { samples: Float32Array; stats: SampleStats } {
  const fast = int16Frames(bytes, offset, frames, format, into);
  if (fast) return fast;
  const samples = decodeWithReader(bytes, offset, frames, format, into);
  return { samples, stats: sampleStats(samples) };
}

/** 16-bit integer frames on a little-endian machine at an even byte offset: int16ToMono; else null. */
function int16Frames(bytes: Uint8Array, offset: number, frames: number, format: FrameFormat, into?: Float32Array): { samples: Float32Array; stats: SampleStats } | null {
  if (format.encoding === 'float' || format.bitsPerSample !== 16 || !LITTLE_ENDIAN || (bytes.byteOffset + offset) % 2 !== 0) return null;
  return int16ToMono(new Int16Array(bytes.buffer, bytes.byteOffset + offset, frames * format.channels), frames, format.channels, into);
}

/** `into` when given (checked to hold `frames`), else a new array. */
function output(frames: number, into?: Float32Array): Float32Array {
  if (!into) return new Float32Array(frames);
  if (into.length !== frames) throw new RangeError(`capuchin wav: an output of ${into.length} samples for ${frames} frames`);
  return into;
}

function decodeWithReader(bytes: Uint8Array, offset: number, frames: number, format: FrameFormat, into?: Float32Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, frames * format.blockAlign);
  const read = sampleReader(format);
  const out = output(frames, into);
  const { channels } = format;
  const width = format.bitsPerSample / 8;
  if (channels === 1) {
    for (let i = 0, at = 0; i < frames; i++, at += width) out[i] = read(view, at);
    return out;
  }
  const scale = 1 / channels;
  for (let i = 0, at = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += width) sum += read(view, at);
    out[i] = sum * scale;
  }
  return out;
}

/** Whether typed arrays read this machine's memory little-endian, as WAV stores samples. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The smallest 16-bit magnitude k whose float value (k / 32768) counts as clipped in sampleStats (v² ≥ CLIP_LEVEL²). */
const CLIP_FROM = (() => {
  const level2 = CLIP_LEVEL * CLIP_LEVEL;
  let k = 0;
  while ((k / 32768) * (k / 32768) < level2) k++;
  return k;
})();

/**
 * 16-bit PCM (most recorders' format) read through an Int16Array, without a DataView call per sample: the same values,
 * and their sum and clipped count (sampleStats of the float32 values) in the same loop.
 */
function int16ToMono(x: Int16Array, frames: number, channels: number, into?: Float32Array): { samples: Float32Array; stats: SampleStats } {
  const out = output(frames, into);
  const unit = 1 / 32768; // a power of two: x·unit is exactly x / 32768, a float32 value
  let clipped = 0;
  if (channels === 1) {
    // On the integers: their sum is exact (as the float sum of these values is), two sums halve the add chain, and
    // |x| ≥ CLIP_FROM is the float test v² ≥ level² (CLIP_FROM is found with that test)
    let even = 0;
    let odd = 0;
    let i = 0;
    for (; i + 1 < frames; i += 2) {
      const a = x[i];
      const b = x[i + 1];
      out[i] = a * unit;
      out[i + 1] = b * unit;
      even += a;
      odd += b;
      clipped += (a >= CLIP_FROM || a <= -CLIP_FROM ? 1 : 0) + (b >= CLIP_FROM || b <= -CLIP_FROM ? 1 : 0);
    }
    if (i < frames) {
      const a = x[i];
      out[i] = a * unit;
      even += a;
      clipped += a >= CLIP_FROM || a <= -CLIP_FROM ? 1 : 0;
    }
    return { samples: out, stats: { sum: (even + odd) * unit, clipped } };
  }
  const scale = 1 / channels;
  const level2 = CLIP_LEVEL * CLIP_LEVEL;
  let total = 0;
  for (let i = 0, at = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at++) sum += x[at] * unit;
    const v = Math.fround(sum * scale); // the value stored
    out[i] = v;
    total += v;
    clipped += v * v >= level2 ? 1 : 0;
  }
  return { samples: out, stats: { sum: total, clipped } };
}

type Reader = (view: DataView, at: number) => number;

function sampleReader({ encoding, bitsPerSample }: FrameFormat): Reader {
  if (encoding === 'float') {
    return bitsPerSample === 32 ? (v, at) => v.getFloat32(at, true) : (v, at) => v.getFloat64(at, true);
  }
  switch (bitsPerSample) {
    case 8:
      return (v, at) => (v.getUint8(at) - 128) / 128;
    case 16:
      return (v, at) => v.getInt16(at, true) / 32768;
    case 24:
      return (v, at) => ((v.getInt8(at + 2) << 16) | (v.getUint8(at + 1) << 8) | v.getUint8(at)) / 8388608;
    case 32:
      return (v, at) => v.getInt32(at, true) / 2147483648;
    default:
      throw new RangeError(`capuchin wav: ${bitsPerSample}-bit ${encoding} samples are not supported`);
  }
}

/** Index of the first NaN/Inf sample, or -1. */
export function firstNonFinite(samples: Float32Array): number {
  // A float64 sum of float32 samples cannot overflow, so it is finite exactly when every sample is:
  // one branch-free pass, then a search only when it is not.
  let s0 = 0;
  let s1 = 0;
  const n = samples.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += samples[i];
    s1 += samples[i + 1];
  }
  if (i < n) s0 += samples[i];
  if (Number.isFinite(s0 + s1)) return -1;
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(samples[j])) return j;
  }
  return -1;
}
