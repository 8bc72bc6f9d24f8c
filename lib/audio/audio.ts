/**
 * An immutable mono audio value with its sample rate (opensoundscape's `Audio`).
 * Every function in lib/audio returns a new value; none mutates its input.
 */
export interface Audio {
  /** Mono samples, nominally in [-1, 1]. */
  readonly samples: Float32Array;
  /** Samples per second. */
  readonly sampleRate: number;
}

/** The rate every model and feature in capuchin works at. */
export const MODEL_SAMPLE_RATE = 16000;

export function durationSec(audio: Audio): number {
  return audio.samples.length / audio.sampleRate;
}

/** Pieces of one signal, joined in order into a new array. */
export function concatSamples(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The chunks of a stream with `before` zeros ahead of it and `after` zeros behind it (edge padding of a recording). */
export async function* withSilence(chunks: AsyncIterable<Float32Array>, before: number, after: number): AsyncGenerator<Float32Array> {
  if (before > 0) yield new Float32Array(before);
  for await (const chunk of chunks) yield chunk;
  if (after > 0) yield new Float32Array(after);
}
