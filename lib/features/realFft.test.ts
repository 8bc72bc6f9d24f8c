import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealFft } from './realFft.ts';

test('equals a direct DFT for every size from 4 to 1024, including DC and Nyquist', () => {
  for (let size = 4; size <= 1024; size *= 2) {
    const x = Float64Array.from({ length: size }, (_, n) => Math.sin(n * 0.37) + ((n * 7919) % 13) / 13 - 0.5);
    const out = new Float64Array(size + 2);
    const fft = new RealFft(size);
    fft.forward(x, out);
    const mag = new Float32Array(size / 2 + 3);
    const pow = new Float64Array(size / 2 + 1);
    fft.magnitude(x, mag, 2);
    fft.power(x, pow, 0);
    for (let k = 0; k <= size / 2; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < size; n++) {
        re += x[n] * Math.cos((2 * Math.PI * k * n) / size);
        im -= x[n] * Math.sin((2 * Math.PI * k * n) / size);
      }
      assert.ok(Math.abs(out[2 * k] - re) < 1e-9 * size && Math.abs(out[2 * k + 1] - im) < 1e-9 * size, `size ${size} bin ${k}: (${out[2 * k]}, ${out[2 * k + 1]}) vs (${re}, ${im})`);
      assert.ok(Math.abs(mag[2 + k] - Math.hypot(re, im)) < 1e-6 * Math.max(1, Math.hypot(re, im)), `size ${size} |X[${k}]|`);
      assert.ok(Math.abs(pow[k] - (re * re + im * im)) < 1e-9 * size * Math.max(1, re * re + im * im), `size ${size} |X[${k}]|²`);
    }
  }
  assert.throws(() => new RealFft(500), /power of two/);
  assert.throws(() => new RealFft(8).magnitude(new Float64Array(8), new Float32Array(5), 1), /outside 5 values/);
  assert.throws(() => new RealFft(8).forward(new Float64Array(8), new Float64Array(9)), /need 10 outputs, got 9/);
});
