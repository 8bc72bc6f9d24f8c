import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix } from './matrix.ts';
import { MelBank, hertzToMel, melToHertz, melWeightMatrix } from './mel.ts';

const opts = { melBins: 100, spectrogramBins: 257, sampleRate: 16000, fminHz: 80, fmaxHz: 8000 };

test('HTK mel scale: 1127·ln(1 + f/700), and its inverse', () => {
  assert.ok(Math.abs(hertzToMel(700) - 1127 * Math.LN2) < 1e-9);
  assert.equal(hertzToMel(0), 0);
  for (const hz of [80, 1000, 7999.5]) assert.ok(Math.abs(melToHertz(hertzToMel(hz)) - hz) < 1e-9);
});

test('weight matrix: DC row zero, triangles peak near their centre frequency, weights in [0, 1]', () => {
  const w = melWeightMatrix(opts);
  assert.equal(w.rows, 257);
  assert.equal(w.cols, 100);
  for (let m = 0; m < 100; m++) assert.equal(w.data[m], 0, 'DC row');
  for (const v of w.data) assert.ok(v >= 0 && v <= 1);
  const edges = Array.from({ length: 102 }, (_, i) => hertzToMel(80) + ((hertzToMel(8000) - hertzToMel(80)) * i) / 101);
  for (const m of [20, 50, 99]) {
    let best = 0;
    for (let k = 1; k < 257; k++) if (w.data[k * 100 + m] > w.data[best * 100 + m]) best = k;
    const centreHz = melToHertz(edges[m + 1]);
    assert.ok(Math.abs((best * 8000) / 256 - centreHz) <= 8000 / 256, `band ${m}: peak bin ${best}, centre ${centreHz} Hz`);
  }
});

test("the original project's melSampleRate=48000 bank is a different matrix", () => {
  const a = melWeightMatrix(opts);
  const b = melWeightMatrix({ ...opts, sampleRate: 48000 });
  let diff = 0;
  for (let i = 0; i < a.data.length; i++) diff += Math.abs(a.data[i] - b.data[i]);
  assert.ok(diff > 10);
  // with 48 kHz, bin k is k·93.75 Hz, so no band reaches past bin 86 (8000 / 93.75)
  for (let k = 87; k < 257; k++) for (let m = 0; m < 100; m++) assert.equal(b.data[k * 100 + m], 0);
});

test('the sparse bank equals the dense product and stores only the nonzero spans', () => {
  const w = melWeightMatrix(opts);
  const bank = new MelBank(opts);
  assert.ok(bank.nonzeros < 0.1 * 257 * 100, `nonzeros ${bank.nonzeros}`);
  const spec = createMatrix(3, 257);
  for (let i = 0; i < spec.data.length; i++) spec.data[i] = ((i * 7919) % 101) / 10;
  const mel = bank.apply(spec);
  assert.equal(mel.cols, 100);
  for (let r = 0; r < 3; r++)
    for (let m = 0; m < 100; m++) {
      let sum = 0;
      for (let k = 0; k < 257; k++) sum += spec.data[r * 257 + k] * w.data[k * 100 + m];
      assert.ok(Math.abs(mel.data[r * 100 + m] - sum) <= 1e-5 * Math.max(1, sum));
    }
  assert.throws(() => bank.apply(createMatrix(1, 256)), /256 bins, the bank expects 257/);
});
