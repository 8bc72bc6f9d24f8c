import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from './bufferPool.ts';

test('BufferPool: a buffer given back serves the next take that fits, the smallest first; new ones are counted', () => {
  const pool = new BufferPool(2);
  const big = pool.take(4000);
  const small = pool.take(1000);
  assert.equal(pool.created, 2);
  pool.give(big);
  pool.give(small);
  pool.give(small); // twice is once
  assert.equal(pool.take(800), small, 'the smallest that fits');
  assert.equal(pool.take(800), big);
  assert.equal(pool.created, 2);
  assert.ok(pool.take(5000).byteLength >= 5000);
  assert.equal(pool.created, 3, 'none fitted');
});

test('BufferPool keeps at most `keep` spare buffers; copy and floats give views of its buffers', () => {
  const pool = new BufferPool(1);
  const a = pool.take(64);
  const b = pool.take(64);
  pool.give(a);
  pool.give(b); // dropped: one is kept
  pool.take(64);
  pool.take(64);
  assert.equal(pool.created, 3);
  const samples = Float32Array.from([0.5, -0.25, 1]);
  const copy = pool.copy(samples);
  assert.deepEqual(copy, samples);
  assert.ok(copy.buffer.byteLength >= samples.byteLength * 1.25, 'room for a slightly longer copy later');
  pool.give(copy.buffer as ArrayBuffer);
  const floats = pool.floats(3);
  assert.equal(floats.buffer, copy.buffer);
  assert.equal(floats.length, 3);
});
