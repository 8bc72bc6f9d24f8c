import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeNpyFloat32 } from '../util/npy.ts';
import { configureFeatures } from './extractor.ts';
import { sliceRows } from './matrix.ts';

const fixture = (name: string) => decodeNpyFloat32(readFileSync(new URL(`./__fixtures__/${name}.input.npy`, import.meta.url))).data;
const positive = fixture('capuchin-3.25s'); // 52000 samples of a real Capuchinbird clip at 16 kHz
const negative = fixture('negative-chirp-2.5s'); // 40000 samples

/** ~5.75 s of real audio: the two fixture clips back to back. */
const long = new Float32Array(positive.length + negative.length);
long.set(positive, 0);
long.set(negative, positive.length);

test('each kind gives its documented shape', () => {
  for (const [kind, bins] of [['spectrogram', 257], ['mel', 100], ['mfcc', 20]] as const) {
    const fx = configureFeatures({ kind });
    assert.deepEqual(fx.shape, [1491, bins]);
    const m = fx.extractClip(positive);
    assert.deepEqual([m.rows, m.cols, m.data.length], [1491, bins, 1491 * bins]);
    assert.ok(m.data.every(Number.isFinite), `${kind} values are finite`);
  }
  assert.equal(configureFeatures({ kind: 'mel' }).frameBins, 100);
  assert.equal(configureFeatures({ kind: 'spectrogram' }).frameBins, 257);
});

test('frames() of a long recording, sliced at hop multiples and finalized, equal extractClip on the same 3 s', () => {
  for (const kind of ['spectrogram', 'mel', 'mfcc'] as const) {
    const fx = configureFeatures({ kind });
    const all = fx.frames(long);
    assert.equal(all.rows, Math.floor((long.length - 320) / 32) + 1);
    for (const startFrame of [0, 437, all.rows - 1491]) {
      const start = startFrame * 32;
      const expected = fx.extractClip(long.subarray(start, start + 48000));
      const window = sliceRows(all, startFrame, 1491);
      assert.deepEqual(fx.finalize(window).data, expected.data, `${kind} window at frame ${startFrame}`);
      // into a batch's slot (past a used one): the same values, in the slot, the slot before untouched
      const slots = new Float32Array(2 * expected.data.length).fill(7);
      const slotted = fx.finalize(window, slots.subarray(expected.data.length));
      assert.equal(slotted.data.buffer, slots.buffer, `${kind} finalize(…, into) writes into it`);
      assert.deepEqual(slotted.data, expected.data, `${kind} finalize(…, into) at frame ${startFrame}`);
      assert.ok(slots.subarray(0, expected.data.length).every((v) => v === 7), `${kind}: the slot before is untouched`);
      const ranged = fx.frames(long, { start: startFrame, end: startFrame + 1491 });
      assert.deepEqual(ranged.data, window.data, `${kind} frames(range) at ${startFrame}`);
    }
  }
});

test('log-mel is dB relative to the clip maximum, floored 80 dB down', () => {
  const m = configureFeatures({ kind: 'mel' }).extractClip(negative);
  let max = -Infinity;
  let min = Infinity;
  for (const v of m.data) {
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  assert.equal(max, 0);
  assert.equal(min, -80);
  // the first 0.5 s is the prepended padding: its frames sit on the floor
  assert.ok(m.data.subarray(0, 200 * 100).every((v) => v === -80));
  const unfloored = configureFeatures({ kind: 'mel', topDb: null }).extractClip(negative);
  assert.ok(unfloored.data.some((v) => v < -80));
});

test('short clips are padded at the start by default, in the centre on request', () => {
  const fx = configureFeatures();
  const start = fx.extractClip(negative);
  const centre = configureFeatures({ padMode: 'centre' }).extractClip(negative);
  const rowEnergy = (m: typeof start, r: number) => m.data.subarray(r * 257, (r + 1) * 257).reduce((a, b) => a + b, 0);
  assert.equal(rowEnergy(start, 0), 0, 'start padding: the first frame is silence');
  assert.ok(rowEnergy(start, 1490) > 0, 'start padding: the last frame has audio');
  assert.equal(rowEnergy(centre, 0), 0);
  assert.equal(rowEnergy(centre, 1490), 0, 'centre padding: silence at both ends');
  assert.ok(rowEnergy(centre, 745) > 0);
});

test('finalize refuses the wrong shape and never mutates its input', () => {
  const fx = configureFeatures({ kind: 'mel' });
  const frames = fx.frames(long);
  assert.throws(() => fx.finalize(frames), /finalize \(mel\): expected a 1491×100 matrix, got 2866×100/);
  const window = sliceRows(frames, 10, 1491);
  const before = window.data.slice();
  const out = fx.finalize(window);
  assert.deepEqual(window.data, before);
  assert.notEqual(out.data.buffer, frames.data.buffer);
  const spec = configureFeatures();
  const specWindow = sliceRows(spec.frames(long), 3, 1491);
  assert.notEqual(spec.finalize(specWindow).data.buffer, specWindow.data.buffer, 'spectrogram finalize returns a copy');
});

test('bad configs fail at configureFeatures with the field named', () => {
  assert.throws(() => configureFeatures({ fftLength: 500 }), /feature config: fftLength must be a power of two ≥ frameLength \(320\), got 500/);
});
