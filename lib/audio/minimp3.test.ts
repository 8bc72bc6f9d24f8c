import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { concatSamples } from './audio.ts';
import { Minimp3Decoder } from './minimp3.ts';
import { id3v2Size } from './mp3Frames.ts';

const mp3 = readFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
const frames = mp3.subarray(id3v2Size(mp3, 0));

function decodeAll(decoder: Minimp3Decoder, bytes: Uint8Array, step: number): { samples: Float32Array; rate: number } {
  const parts: Float32Array[] = [];
  let rate = 0;
  for (let at = 0; at < bytes.length; at += step) {
    const chunk = decoder.push(bytes.subarray(at, at + step), at + step >= bytes.length);
    parts.push(chunk.samples);
    rate = chunk.sampleRate;
  }
  return { samples: concatSamples(parts), rate };
}

test('the wasm SIMD build and the scalar fallback decode the excerpt to the same samples (within 1e-6)', () => {
  const simd = decodeAll(new Minimp3Decoder(), frames, 1 << 18);
  const scalar = decodeAll(new Minimp3Decoder({ simd: false }), frames, 1 << 18);
  assert.equal(simd.rate, 48000);
  // all 1085 audio frames + the Info frame (decoded as a silent frame here; mp3.ts drops it)
  assert.equal(simd.samples.length, 1086 * 1152);
  assert.equal(scalar.samples.length, simd.samples.length);
  let worst = 0;
  let energy = 0;
  for (let i = 0; i < simd.samples.length; i++) {
    worst = Math.max(worst, Math.abs(simd.samples[i] - scalar.samples[i]));
    energy += simd.samples[i] ** 2;
  }
  assert.ok(worst < 1e-6, `largest difference ${worst}`);
  assert.ok(energy / simd.samples.length > 1e-6, 'real audio, not silence');
});

test('pushes of 5,000 bytes give the same samples as one push (frames cut across pushes wait for the rest)', () => {
  const whole = decodeAll(new Minimp3Decoder(), frames, frames.length);
  const pieces = decodeAll(new Minimp3Decoder(), frames, 5000);
  assert.deepEqual(pieces.samples, whole.samples);
  assert.equal(new Minimp3Decoder().errors, 0);
});

test('junk between frames is skipped and counted; the frames after it still decode', () => {
  const damaged = Uint8Array.from(frames);
  for (let i = 100000; i < 101500; i++) damaged[i] = (i * 2654435761) >>> 24;
  const decoder = new Minimp3Decoder();
  const { samples } = decodeAll(decoder, damaged, 1 << 16);
  // one run of junk; a chance frame header inside it that decodes can split it in two
  assert.ok(decoder.errors >= 1 && decoder.errors <= 2, `${decoder.errors} error runs`);
  assert.ok(samples.length >= 1080 * 1152, `${samples.length / 1152} frames of samples`);
});
