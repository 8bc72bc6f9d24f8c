import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrixFrom } from './matrix.ts';
import { Dct, dctOrthoBasis } from './mfcc.ts';

test('the orthonormal DCT-II basis is orthonormal', () => {
  const n = 100;
  const b = dctOrthoBasis(n, n);
  for (const [i, j] of [[0, 0], [1, 1], [19, 19], [0, 1], [3, 17], [50, 99]]) {
    let dot = 0;
    for (let m = 0; m < n; m++) dot += b[i * n + m] * b[j * n + m];
    assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `<b${i}, b${j}> = ${dot}`);
  }
});

test('matches scipy.fft.dct(type=2, norm="ortho") on known vectors', () => {
  // constant → only c0 = √M·v; x = [1, 2, 3, 4] → scipy gives [5, −2.2304425, 0, −0.15851267]
  const dct = new Dct(4, 4);
  const out = dct.apply(matrixFrom(Float32Array.from([3, 3, 3, 3, 1, 2, 3, 4]), 2, 4));
  const expected = [6, 0, 0, 0, 5, -2.2304425, 0, -0.15851267];
  out.data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} vs ${expected[i]}`));
  assert.equal(new Dct(100, 20).apply(matrixFrom(new Float32Array(300), 3, 100)).cols, 20);
  assert.throws(() => new Dct(10, 11), /count must be in \[1, 10\]/);
});
