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
