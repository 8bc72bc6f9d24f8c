import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lnFloat32Bits } from './ln.ts';

test('ln from float32 bits matches Math.log to 1e-15 (absolute, scaled by |ln v| when larger) over the float32 range', () => {
  const values = new Float32Array(200000);
  let s = 7;
  for (let i = 0; i < values.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    values[i] = Math.exp((s / 2 ** 32 - 0.5) * 170);
  }
  values.set([1, 2, 0.5, 1.9999999, 1.0000001, 3.4e38, 1.2e-38, 1e-16, 1e-45, 0, Infinity, -1, NaN], 0);
  const bits = new Uint32Array(values.buffer);
  for (let i = 0; i < values.length; i++) {
    const want = Math.log(values[i]);
    const got = lnFloat32Bits(bits[i], values[i]);
    if (!Number.isFinite(want)) {
      assert.ok(Object.is(got, want), `ln ${values[i]}: ${got} vs ${want}`);
      continue;
    }
    assert.ok(Math.abs(got - want) <= 1e-15 * Math.max(1, Math.abs(want)), `ln ${values[i]}: ${got} vs ${want}`);
  }
});
