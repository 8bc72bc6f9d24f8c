import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../features/matrix.ts';
import { applyGainInPlace, freqMask, maskValue, meanFramePower, mixArrays, mixFramesAtSnr, shiftedWindow, timeMask } from './augmentOps.ts';
import { createRng } from '../util/random.ts';

const noise = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
};
const frames = (rows: number, cols: number, seed: number): Matrix => ({ data: noise(rows * cols, seed).map((v) => v * v), rows, cols });

test('mixFramesAtSnr hits the requested power SNR exactly, in the power and the magnitude domain', () => {
  const signal = frames(50, 8, 1);
  const n = frames(50, 8, 2);
  const before = n.data.slice();
  for (const snr of [-10, 0, 7.5, 20]) {
    const { mixed, noiseScale } = mixFramesAtSnr(signal, n, snr, false);
    const added = { data: mixed.data.map((v, i) => v - signal.data[i]), rows: 50, cols: 8 };
    assert.ok(Math.abs(10 * Math.log10(meanFramePower(signal, false) / meanFramePower(added, false)) - snr) < 1e-4);
    assert.ok(noiseScale > 0);
    // magnitudes combine as sqrt(a² + c²b²): the mixed power is the sum of the powers
    const mag = (m: Matrix) => ({ ...m, data: m.data.map(Math.sqrt) });
    const m = mixFramesAtSnr(mag(signal), mag(n), snr, true).mixed;
    for (let i = 0; i < 20; i++) assert.ok(Math.abs(m.data[i] ** 2 - mixed.data[i]) < 1e-4 * (1 + mixed.data[i]));
  }
  assert.deepEqual(n.data, before, 'inputs untouched');
  const silent = { data: new Float32Array(400), rows: 50, cols: 8 };
  assert.deepEqual(mixFramesAtSnr(silent, n, 0, false).mixed.data, silent.data);
  assert.throws(() => mixFramesAtSnr(signal, frames(49, 8, 3), 0, false), /shapes differ/);
});

test('shiftedWindow moves whole frames, wrapping round or filling silence', () => {
  const src = { data: Float32Array.from({ length: 10 * 2 }, (_, i) => Math.floor(i / 2) + 1), rows: 10, cols: 2 }; // frame r holds r + 1
  const rowsOf = (m: Matrix) => Array.from({ length: m.rows }, (_, r) => m.data[r * 2]);
  assert.deepEqual(rowsOf(shiftedWindow(src, 0, 6, 'zero')), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(rowsOf(shiftedWindow(src, 2, 6, 'zero')), [0, 0, 1, 2, 3, 4]);
  assert.deepEqual(rowsOf(shiftedWindow(src, -6, 6, 'zero')), [7, 8, 9, 10, 0, 0], 'a longer clip shows its later frames');
  assert.deepEqual(rowsOf(shiftedWindow(src, 2, 6, 'circular')), [9, 10, 1, 2, 3, 4]);
  assert.deepEqual(rowsOf(shiftedWindow(src, -8, 6, 'circular')), [9, 10, 1, 2, 3, 4]);
  assert.equal(src.data[0], 1, 'input untouched');
  assert.throws(() => shiftedWindow(src, 0.5, 6, 'zero'), /whole number of frames/);
});

test('applyGainInPlace scales power by 10^(dB/10) and magnitudes by 10^(dB/20)', () => {
  for (const db of [-12, 3, 6]) {
    const p = frames(20, 4, 5);
    const ref = meanFramePower(p, false);
    applyGainInPlace(p, db, false);
    assert.ok(Math.abs(10 * Math.log10(meanFramePower(p, false) / ref) - db) < 1e-4);
    const m = { ...p, data: p.data.map(Math.sqrt) };
    const refM = meanFramePower(m, true);
    applyGainInPlace(m, db, true);
    assert.ok(Math.abs(10 * Math.log10(meanFramePower(m, true) / refM) - db) < 1e-4);
  }
});

test('time and frequency masks fill exactly the requested frames / bins', () => {
  const rows = 40;
  const cols = 12;
  const m = { data: Float32Array.from({ length: rows * cols }, (_, i) => 1 + (i % 7)), rows, cols };
  const t = timeMask(m, 5, 8, 0);
  for (let r = 0; r < rows; r++) {
    const row = t.data.subarray(r * cols, (r + 1) * cols);
    const zeros = row.filter((v) => v === 0).length;
    assert.equal(zeros, r >= 5 && r < 13 ? cols : 0, `row ${r}`);
  }
  const f = freqMask(m, 3, 4, -80);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) assert.equal(f.data[r * cols + c] === -80, c >= 3 && c < 7, `cell ${r},${c}`);
  }
  // Clipped at the edges, input untouched.
  assert.equal(timeMask(m, 35, 100, 0).data.filter((v) => v === 0).length, 5 * cols);
  assert.ok(m.data.every((v) => v >= 1));
});

test('maskValue: min, mean or zero', () => {
  const m = { data: Float32Array.from([-80, -20, 0, -60]), rows: 2, cols: 2 };
  assert.equal(maskValue(m, 'min'), -80);
  assert.equal(maskValue(m, 'mean'), -40);
  assert.equal(maskValue(m, 'zero'), 0);
});

test('mixArrays is the convex combination', () => {
  assert.deepEqual(mixArrays(Float32Array.from([1, 0]), Float32Array.from([0, 4]), 0.25), Float32Array.from([0.25, 3]));
});
