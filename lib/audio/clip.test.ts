import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padOrTrim, toMono, trimSec } from './clip.ts';

const f = (...v: number[]) => Float32Array.from(v);

test("padOrTrim 'start' keeps the first samples, and pads zeros at the start (the original pad_or_trim)", () => {
  assert.deepEqual(padOrTrim(f(1, 2, 3, 4, 5), 3, 'start'), f(1, 2, 3));
  assert.deepEqual(padOrTrim(f(1, 2), 5, 'start'), f(0, 0, 0, 1, 2));
  assert.deepEqual(padOrTrim(f(1, 2, 3), 3, 'start'), f(1, 2, 3));
  assert.deepEqual(padOrTrim(f(1, 2), 5), f(0, 0, 0, 1, 2), "'start' is the default");
});

test("padOrTrim 'centre' crops or pads around the middle (extra sample on the right)", () => {
  assert.deepEqual(padOrTrim(f(1, 2, 3, 4, 5), 3, 'centre'), f(2, 3, 4));
  assert.deepEqual(padOrTrim(f(1, 2, 3, 4, 5, 6), 3, 'centre'), f(2, 3, 4));
  assert.deepEqual(padOrTrim(f(1, 2), 5, 'centre'), f(0, 1, 2, 0, 0));
  assert.deepEqual(padOrTrim(f(1, 2), 6, 'centre'), f(0, 0, 1, 2, 0, 0));
});

test('padOrTrim returns a new array and never changes its input', () => {
  const input = f(1, 2, 3);
  const out = padOrTrim(input, 3);
  out[0] = 99;
  assert.deepEqual(input, f(1, 2, 3));
  assert.throws(() => padOrTrim(input, -1), /length must be a whole number ≥ 0/);
  assert.throws(() => padOrTrim(input, 2, 'end' as 'start'), /mode must be 'start' or 'centre'/);
});

test('toMono averages channels; trimSec cuts by time and clamps to the clip', () => {
  assert.deepEqual(toMono([f(1, 2), f(3, 6)]), f(2, 4));
  assert.deepEqual(toMono([f(1, 2, 3), f(0, 0, 0), f(2, 1, 0)]), f(1, 1, 1));
  assert.throws(() => toMono([f(1), f(1, 2)]), /differ in length/);
  const audio = { samples: f(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sampleRate: 10 };
  assert.deepEqual(trimSec(audio, 0.2, 0.5), { samples: f(2, 3, 4), sampleRate: 10 });
  assert.deepEqual(trimSec(audio, -1, 0.2).samples, f(0, 1));
  assert.deepEqual(trimSec(audio, 0.8, 5).samples, f(8, 9));
});
