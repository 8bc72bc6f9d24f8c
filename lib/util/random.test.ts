import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from './random.ts';

test('same seed, same stream; different seeds differ', () => {
  const a = createRng(5);
  const b = createRng(5);
  const c = createRng(6);
  const xa = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(xa, Array.from({ length: 20 }, () => b.next()));
  assert.notDeepEqual(xa, Array.from({ length: 20 }, () => c.next()));
  for (const x of xa) assert.ok(x >= 0 && x < 1);
});

test('uniform, normal and beta have the right moments over 20000 draws', () => {
  const r = createRng(1);
  const n = 20000;
  const mean = (f: () => number) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = f();
      s += x;
      s2 += x * x;
    }
    return { m: s / n, v: s2 / n - (s / n) ** 2 };
  };
  const u = mean(() => r.uniform(-2, 4));
  assert.ok(Math.abs(u.m - 1) < 0.05 && Math.abs(u.v - 3) < 0.1, JSON.stringify(u));
  const z = mean(() => r.normal());
  assert.ok(Math.abs(z.m) < 0.03 && Math.abs(z.v - 1) < 0.05, JSON.stringify(z));
  // Beta(0.2, 0.2): mean 0.5, variance 1/(4·1.4) ≈ 0.1786.
  const bt = mean(() => r.beta(0.2, 0.2));
  assert.ok(Math.abs(bt.m - 0.5) < 0.02 && Math.abs(bt.v - 0.1786) < 0.01, JSON.stringify(bt));
  // Beta(2, 5): mean 2/7, variance 10/392.
  const b25 = mean(() => r.beta(2, 5));
  assert.ok(Math.abs(b25.m - 2 / 7) < 0.01 && Math.abs(b25.v - 10 / 392) < 0.003, JSON.stringify(b25));
});

test('int covers [0, n) evenly and shuffle is a permutation', () => {
  const r = createRng(9);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 10000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 150, String(counts));
  const items = Array.from({ length: 50 }, (_, i) => i);
  const shuffled = r.shuffle([...items]);
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual([...shuffled].sort((a, b) => a - b), items);
});
