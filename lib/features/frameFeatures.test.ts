import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeNpyFloat32 } from '../util/npy.ts';
import { extractFrameFeatures, isVectorFeature } from './frameFeatures.ts';
import { FEATURE_NAMES } from './registry.ts';
import { frameCount } from './stft.ts';
import { hannWindow } from './window.ts';

const clip = decodeNpyFloat32(readFileSync(new URL('./__fixtures__/capuchin-3.25s.input.npy', import.meta.url))).data.slice(0, 48000);

interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  extract(features: string[], signal: Float32Array): Record<string, unknown>;
}

test('every extractor equals Meyda.extract on the same windowed, zero-padded 512-sample buffer', () => {
  const meyda = createRequire(import.meta.url)('meyda') as MeydaLike;
  Object.assign(meyda, { bufferSize: 512, sampleRate: 16000, melBands: 100, numberOfMFCCCoefficients: 20, windowingFunction: 'rect' });
  const ours = extractFrameFeatures(clip, {}, FEATURE_NAMES);
  const w = hannWindow(320);
  for (const f of [300, 777, 1490]) {
    const buffer = new Float32Array(512);
    for (let i = 0; i < 320; i++) buffer[i] = clip[f * 32 + i] * w[i];
    const theirs = meyda.extract([...FEATURE_NAMES], buffer);
    for (const name of FEATURE_NAMES) {
      const expected = name === 'loudness' ? (theirs.loudness as { specific: Float32Array }).specific : theirs[name];
      const actual = ours[name];
      const a = Array.isArray(actual) ? Array.from(actual[f]) : [(actual as Float32Array)[f]];
      const e = Array.isArray(expected) || ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<number>) : [expected as number];
      assert.equal(a.length, e.length, `${name} length`);
      const scale = Math.max(...e.map(Math.abs), 1e-12);
      a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= 1e-4 * scale, `${name}[${i}] frame ${f}: ${v} vs ${e[i]}`));
    }
  }
});

test('outputs: one value per frame for scalars, one vector per frame for vectors', () => {
  const out = extractFrameFeatures(clip, {}, ['rms', 'zcr', 'mfcc', 'chroma', 'loudness']);
  const frames = frameCount(48000, 320, 32);
  assert.ok(out.rms instanceof Float32Array && out.rms.length === frames);
  assert.equal(out.zcr.length, frames);
  assert.equal(out.mfcc.length, frames);
  assert.equal(out.mfcc[0].length, 20);
  assert.equal(out.chroma[5].length, 12);
  assert.equal(out.loudness[5].length, 24);
  assert.ok(out.rms.some((v) => v > 0.001), 'the real clip is not silent');
  for (const name of FEATURE_NAMES) assert.equal(Array.isArray(extractFrameFeatures(clip.subarray(0, 1000), {}, [name])[name]), isVectorFeature(name), name);
});

test('a 1 kHz tone has its centroid at bin 32, its rolloff just above 1 kHz and 40 zero crossings per frame', () => {
  const tone = new Float32Array(8000).map((_, n) => Math.sin((2 * Math.PI * 1000 * n) / 16000));
  const out = extractFrameFeatures(tone, {}, ['spectralCentroid', 'spectralRolloff', 'zcr']);
  for (const c of out.spectralCentroid) assert.ok(Math.abs(c - 32) < 0.05, `centroid ${c}`);
  // Meyda's rolloff spaces bins at sampleRate / (2·(bins − 1)) = 31.37 Hz; the Hann main lobe puts 99% within bin 36
  for (const r of out.spectralRolloff) assert.ok(r > 1000 && r < 1200, `rolloff ${r}`);
  for (const z of out.zcr) assert.equal(z, 40);
});

test('unknown or missing names are refused with the list of available ones', () => {
  assert.throws(() => extractFrameFeatures(clip, {}, ['rms', 'pitch' as never]), /unknown feature 'pitch' \(available: chroma, energy/);
  assert.throws(() => extractFrameFeatures(clip, {}, []), /no feature names given/);
});
