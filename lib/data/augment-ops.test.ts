import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGain, freqMask, maskValue, meanPower, mixArrays, mixAtSnr, timeMask, timeShift } from './augment-ops.ts';
import { createRng } from '../util/random.ts';

const noise = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
};
const snrDb = (clean: Float32Array, mixed: Float32Array) => {
  const added = mixed.map((v, i) => v - clean[i]);
  return 10 * Math.log10(meanPower(clean) / meanPower(added));
};

test('mixAtSnr hits the requested SNR within 0.1 dB and leaves its inputs alone', () => {
  const signal = Float32Array.from({ length: 48000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const n = noise(48000, 1);
  const before = n.slice();
  for (const snr of [-10, 0, 7.5, 20, 40]) {
    const mixed = mixAtSnr(signal, n, snr);
    assert.ok(Math.abs(snrDb(signal, mixed) - snr) < 0.1, `asked ${snr} dB, measured ${snrDb(signal, mixed)}`);
  }
  assert.deepEqual(n, before);
});

test('mixAtSnr tiles a shorter negative and returns a silent signal unchanged', () => {
  const signal = noise(1000, 2);
  const mixed = mixAtSnr(signal, noise(300, 3), 5);
  assert.ok(Math.abs(snrDb(signal, mixed) - 5) < 0.1);
  assert.notEqual(mixed[999], signal[999]);
  const silent = new Float32Array(100);
  assert.deepEqual(mixAtSnr(silent, noise(100, 4), 0), silent);
});

test('timeShift moves the energy by the shift, circular or zero-filled', () => {
  const x = new Float32Array(100);
  x.fill(1, 10, 20); // a burst in samples [10, 20)
  const later = timeShift(x, 30, 'zero');
  assert.equal(later.indexOf(1), 40);
  assert.equal(meanPower(later), meanPower(x));
  const earlier = timeShift(x, -15, 'zero');
  assert.equal(earlier.indexOf(1), 0);
  assert.equal(earlier.reduce((a, b) => a + b, 0), 5, 'zero mode drops the 5 samples pushed off the start');
  const wrapped = timeShift(x, 85, 'circular');
  assert.deepEqual([...wrapped.keys()].filter((i) => wrapped[i] === 1), [95, 96, 97, 98, 99, 0, 1, 2, 3, 4].sort((a, b) => a - b));
  assert.deepEqual(timeShift(x, -85, 'circular'), timeShift(x, 15, 'circular'));
  assert.equal(x.indexOf(1), 10, 'input untouched');
});

test('applyGain scales power by the dB asked', () => {
  const x = noise(4000, 5);
  for (const db of [-12, 3, 6]) assert.ok(Math.abs(10 * Math.log10(meanPower(applyGain(x, db)) / meanPower(x)) - db) < 1e-4);
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
