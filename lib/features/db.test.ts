import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powerToDb } from './db.ts';
import { matrixFrom } from './matrix.ts';

test('dB relative to the maximum, floored at −topDb', () => {
  const m = matrixFrom(Float32Array.from([4, 0.4, 4e-10, 0]), 2, 2);
  const db = powerToDb(m, { amin: 1e-16, topDb: 80 });
  assert.ok(Math.abs(db.data[0]) < 1e-6);
  assert.ok(Math.abs(db.data[1] + 10) < 1e-5);
  assert.equal(db.data[2], -80);
  assert.equal(db.data[3], -80);
  const raw = powerToDb(m, { amin: 1e-16, topDb: null });
  assert.ok(Math.abs(raw.data[2] + 100) < 1e-4);
  assert.ok(Math.abs(raw.data[3] - (-160 - 10 * Math.log10(4))) < 1e-3, 'zero power clamps to amin');
  assert.deepEqual(m.data, Float32Array.from([4, 0.4, 4e-10, 0]), 'input untouched');
});

test('an all-zero clip gives all zeros, not NaN', () => {
  const db = powerToDb(matrixFrom(new Float32Array(6), 2, 3), { amin: 1e-16, topDb: 80 });
  assert.deepEqual(Array.from(db.data), [0, 0, 0, 0, 0, 0]);
});

test('matches 10·log10 re max with the top_db floor to 1e-6 relative (float32 storage) on a wide random spread', () => {
  const n = 5000;
  const data = new Float32Array(n);
  let s = 11;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = i % 97 === 0 ? 0 : Math.exp((s / 2 ** 32 - 0.5) * 60);
  }
  const m = matrixFrom(data, 50, 100);
  const max = Math.max(...data);
  for (const topDb of [80, null]) {
    const db = powerToDb(m, { amin: 1e-16, topDb });
    for (let i = 0; i < n; i++) {
      const raw = 10 * Math.log10(Math.max(1e-16, data[i])) - 10 * Math.log10(max);
      const want = topDb === null ? raw : Math.max(raw, -topDb);
      assert.ok(Math.abs(db.data[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `[${i}] ${db.data[i]} vs ${want}`);
    }
  }
});
