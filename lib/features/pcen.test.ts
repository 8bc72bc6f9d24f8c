/**
 * The 'pcen' feature kind against librosa.pcen (tools/reference/make_pcen_fixture.py; fixture in
 * __fixtures__/, no Python needed here), and the properties PCEN is used for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeNpyFloat32 } from '../util/npy.ts';
import { compareToReference } from './__fixtures__/compare.ts';
import { configureFeatures } from './extractor.ts';
import { pcen, pcenRowsJs, pcenSmoothing } from './pcen.ts';

const dir = new URL('./__fixtures__/', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('pcen.json', dir), 'utf8')) as { config: Record<string, unknown>; output: string };
const input = decodeNpyFloat32(readFileSync(new URL('capuchin-3.25s.input.npy', dir))).data;

test('pcen features equal librosa.pcen on the same mel bands (smoother started at the clip mean)', () => {
  const fx = configureFeatures(meta.config);
  const ours = fx.extractClip(input);
  const ref = decodeNpyFloat32(readFileSync(new URL(meta.output, dir)));
  assert.deepEqual([ours.rows, ours.cols], ref.shape);
  const c = compareToReference(ours.data, ref.data, { rtol: 1e-4, atol: 1e-5, floorFraction: 0 });
  assert.equal(c.failures, 0, `${c.failures}/${c.checked} off; max rel ${c.maxRelError}, max abs ${c.maxAbsError}`);
  // the comparison is sharp: another time constant does not match
  const other = configureFeatures({ ...meta.config, pcenTimeConstantSec: 0.1 }).extractClip(input);
  const wrong = compareToReference(other.data, ref.data, { rtol: 1e-3, atol: 1e-4, floorFraction: 0 });
  assert.ok(wrong.failures > 0.5 * wrong.checked, `a 0.1 s time constant should not match (${wrong.failures}/${wrong.checked} differ)`);
});

test('pcen ignores the level of a clip and of a steady background, unlike the raw band energies', () => {
  const fx = configureFeatures(meta.config);
  const a = fx.extractClip(input);
  const quiet = fx.extractClip(input.map((v) => v * 0.01)); // −40 dB
  let maxDiff = 0;
  for (let i = 0; i < a.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - quiet.data[i]));
  // the 2^31 scaling and gain 0.98 leave a (1/100)^0.02 ≈ 0.91 factor inside the root, no more
  assert.ok(maxDiff < 0.15, `−40 dB changed PCEN by up to ${maxDiff}`);
  // a steady tone settles to the same value in every frame of its band
  const tone = new Float32Array(48000).map((_, i) => 0.1 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const t = fx.extractClip(tone);
  const band = [...Array(t.cols).keys()].reduce((best, c) => (t.data[150 * t.cols + c] > t.data[150 * t.cols + best] ? c : best), 0);
  const values = Array.from({ length: t.rows - 20 }, (_, r) => t.data[(r + 10) * t.cols + band]);
  assert.ok(Math.max(...values) - Math.min(...values) < 1e-3, 'a steady tone gives a flat PCEN track');
});

test('the smoothing coefficient follows librosa: b = (√(1 + 4T²) − 1) / (2T²), T in frames', () => {
  const T = 0.4 * 100;
  assert.ok(Math.abs(pcenSmoothing(0.4, 100) - (Math.sqrt(1 + 4 * T * T) - 1) / (2 * T * T)) < 1e-15);
  assert.ok(pcenSmoothing(0.1, 100) > pcenSmoothing(0.4, 100));
});

test('the wasm PCEN kernel gives the JavaScript loop\'s float32 values (Math.log/Math.exp) on real mel rows, to 1 ulp (or 1e-12 near 0) where any differ', async () => {
  const { loadAudio } = await import('../audio/load.ts');
  const { fileURLToPath } = await import('node:url');
  const audio = await loadAudio(fileURLToPath(new URL('../../data/sample/Forest Recordings/recording_46_excerpt.mp3', import.meta.url)));
  const mel = configureFeatures({ kind: 'mel', melBins: 48, fminHz: 100, fmaxHz: 5000 }).frames(audio.samples);
  const f = new Float32Array(1);
  const bits = new Int32Array(f.buffer);
  const bitsOf = (v: number) => ((f[0] = v), bits[0]);
  // the shipped model's settings, and a general power (exp and ln in place of √)
  for (const opts of [
    { timeConstantSec: 0.4, gain: 0.98, bias: 2, power: 0.5, eps: 1e-6, framesPerSec: 50 },
    { timeConstantSec: 0.06, gain: 0.8, bias: 10, power: 0.25, eps: 1e-6, framesPerSec: 50 },
  ]) {
    const ours = pcen(mel, opts);
    // pcen() starts the smoother at the rows' mean of √P·2³¹
    const smooth = new Float64Array(mel.cols);
    for (let r = 0; r < mel.rows; r++) for (let c = 0; c < mel.cols; c++) smooth[c] += Math.sqrt(mel.data[r * mel.cols + c]);
    for (let c = 0; c < mel.cols; c++) smooth[c] = (smooth[c] / mel.rows) * 2 ** 31;
    const js = new Float32Array(mel.data.length);
    pcenRowsJs(mel.data, js, mel.rows, mel.cols, smooth, opts);
    let differ = 0;
    for (let i = 0; i < js.length; i++) {
      if (ours.data[i] === js[i]) continue;
      differ++;
      // 1 ulp, or (where P^power − bias^power cancels to near 0) the float64 rounding of the terms
      const ok = Math.abs(bitsOf(ours.data[i]) - bitsOf(js[i])) <= 1 || Math.abs(ours.data[i] - js[i]) <= 1e-12;
      assert.ok(ok, `value ${i}: ${ours.data[i]} against ${js[i]}`);
    }
    assert.ok(differ <= js.length * 1e-3, `${differ} of ${js.length} values differ`);
    assert.ok(js.some((v) => v > 0.5), 'real PCEN values, not zeros');
  }
});
