/** Pure helpers on sample arrays; each returns a new array and leaves its input alone. */
import type { Audio } from './audio.ts';

export type PadMode = 'start' | 'centre';

/**
 * Make `samples` exactly `length` long.
 * - 'start' (the original Python project's pad_or_trim): keep the first `length` samples; when shorter,
 *   put the zeros at the START, so the audio ends at the clip's end.
 * - 'centre': crop the middle `length` samples, or pad with zeros on both sides (the extra one on the right).
 */
export function padOrTrim(samples: Float32Array, length: number, mode: PadMode = 'start'): Float32Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`capuchin padOrTrim: length must be a whole number ≥ 0, got ${length}`);
  if (mode !== 'start' && mode !== 'centre') throw new RangeError(`capuchin padOrTrim: mode must be 'start' or 'centre', got '${String(mode)}'`);
  const n = samples.length;
  if (n >= length) {
    const from = mode === 'start' ? 0 : Math.floor((n - length) / 2);
    return samples.slice(from, from + length);
  }
  const out = new Float32Array(length);
  out.set(samples, mode === 'start' ? length - n : Math.floor((length - n) / 2));
  return out;
}

/** Mean of the channels (all the same length). */
export function toMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new RangeError('capuchin toMono: no channels given');
  const n = channels[0].length;
  if (channels.some((c) => c.length !== n)) throw new RangeError('capuchin toMono: channels differ in length');
  if (channels.length === 1) return channels[0].slice();
  const out = new Float32Array(n);
  for (const channel of channels) for (let i = 0; i < n; i++) out[i] += channel[i];
  const scale = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/** The part of `audio` from startSec to endSec (clamped to the clip), as a new Audio. */
export function trimSec(audio: Audio, startSec: number, endSec: number): Audio {
  if (!(startSec <= endSec)) throw new RangeError(`capuchin trimSec: startSec (${startSec}) must be ≤ endSec (${endSec})`);
  const n = audio.samples.length;
  const from = Math.min(n, Math.max(0, Math.round(startSec * audio.sampleRate)));
  const to = Math.min(n, Math.max(from, Math.round(endSec * audio.sampleRate)));
  return { samples: audio.samples.slice(from, to), sampleRate: audio.sampleRate };
}
