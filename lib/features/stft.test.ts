import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceRows, type Matrix } from './matrix.ts';
import { Stft, StftStream, frameCount } from './stft.ts';
import { hannWindow } from './window.ts';

const opts = { frameLength: 320, hopLength: 32, fftLength: 512 };

function noise(n: number, seed = 1): Float32Array {
  let s = seed;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

test('periodic Hann is 0.5 − 0.5·cos(2πn/N); the symmetric one differs', () => {
  const p = hannWindow(320);
  assert.equal(p.length, 320);
  assert.equal(p[0], 0);
  assert.ok(Math.abs(p[160] - 1) < 1e-15);
  assert.ok(Math.abs(p[80] - 0.5) < 1e-12);
  const s = hannWindow(320, false);
  assert.ok(Math.abs(s[319]) < 1e-15 && p[319] > 9e-5);
  assert.equal(hannWindow(320), p, 'cached by length');
});

test('frame count follows pad_end=False framing', () => {
  assert.equal(frameCount(48000, 320, 32), 1491);
  assert.equal(frameCount(320, 320, 32), 1);
  assert.equal(frameCount(319, 320, 32), 0);
  assert.equal(frameCount(351, 320, 32), 1);
  assert.equal(frameCount(352, 320, 32), 2);
});

test('magnitude equals a direct DFT of the windowed, zero-padded frame', () => {
  const x = noise(2000);
  const stft = new Stft(opts);
  const mag = stft.magnitude(x);
  assert.equal(mag.rows, frameCount(2000, 320, 32));
  assert.equal(mag.cols, 257);
  const w = hannWindow(320);
  for (const f of [0, 7, mag.rows - 1]) {
    for (const k of [0, 1, 37, 128, 255, 256]) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < 320; n++) {
        const v = x[f * 32 + n] * w[n];
        re += v * Math.cos((2 * Math.PI * k * n) / 512);
        im -= v * Math.sin((2 * Math.PI * k * n) / 512);
      }
      const expected = Math.hypot(re, im);
      assert.ok(Math.abs(mag.data[f * 257 + k] - expected) <= 1e-5 * Math.max(1, expected), `frame ${f} bin ${k}: ${mag.data[f * 257 + k]} vs ${expected}`);
    }
  }
});

test('a 1 kHz tone peaks at bin 32 with amplitude·Σw/2 and power is magnitude squared', () => {
  const x = new Float32Array(4000).map((_, n) => 0.5 * Math.cos((2 * Math.PI * 1000 * n) / 16000));
  const stft = new Stft(opts);
  const mag = stft.magnitude(x);
  const pow = stft.power(x);
  for (let f = 0; f < mag.rows; f++) {
    const row = mag.data.subarray(f * 257, (f + 1) * 257);
    const peak = row.indexOf(Math.max(...row));
    assert.equal(peak, 32);
    assert.ok(Math.abs(row[32] - (0.5 / 2) * 160) < 0.4, `peak ${row[32]}`); // A/2 · Σw, Σw = 160
    assert.ok(Math.abs(pow.data[f * 257 + 32] - row[32] ** 2) < 1e-3 * row[32] ** 2);
  }
});

test('a frame range equals the same rows of the full STFT, and a chunked stream equals both', () => {
  const x = noise(16000, 7);
  const stft = new Stft(opts);
  const full = stft.magnitude(x);
  const part = stft.magnitude(x, { start: 100, end: 140 });
  assert.deepEqual(part.data, sliceRows(full, 100, 40).data);
  const stream = new StftStream(opts);
  const pieces: { len: number; m: Matrix }[] = [];
  for (const size of [100, 1000, 317, 5000, 9583]) {
    const start = pieces.reduce((a, p) => a + p.len, 0);
    pieces.push({ len: size, m: stream.push(x.subarray(start, start + size)) });
  }
  const rows = pieces.reduce((a, p) => a + p.m.rows, 0);
  assert.equal(rows, full.rows);
  assert.equal(stream.framesOut, full.rows);
  const joined = new Float32Array(rows * 257);
  let at = 0;
  for (const p of pieces) {
    joined.set(p.m.data, at);
    at += p.m.data.length;
  }
  assert.deepEqual(joined, full.data);
});

test('short signals give zero frames and bad ranges are refused', () => {
  const stft = new Stft(opts);
  assert.equal(stft.magnitude(new Float32Array(100)).rows, 0);
  assert.throws(() => stft.magnitude(new Float32Array(1000), { start: 0, end: 99 }), /outside the signal's 22 whole frames/);
  assert.throws(() => new Stft({ frameLength: 320, hopLength: 32, fftLength: 500 }), /power of two/);
});
