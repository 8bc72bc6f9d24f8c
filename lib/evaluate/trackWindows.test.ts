/**
 * A run without clips scores the windows of its out-of-fold tracks: each labelled as the training windows were
 * (presence: coverage of a call, or clear of every call; onset: centred on a start, or far from every start), the
 * ones in between left out, the group of each its recording.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FIELD_WINDOWS } from '../data/field.ts';
import { trackWindowPredictions, windowLabel } from './trackWindows.ts';

const calls = [{ start_s: 10, end_s: 14.1 }];

test('presence: positive on ≥ 2.5 s of the call, negative ≥ 1 s clear, nothing in between', () => {
  const opts = { ...DEFAULT_FIELD_WINDOWS, windowSec: 3 };
  assert.equal(windowLabel(9.5, calls, opts), 1); // holds 2.5 s
  assert.equal(windowLabel(11.6, calls, opts), 1);
  assert.equal(windowLabel(9.4, calls, opts), null); // 2.4 s
  assert.equal(windowLabel(11.7, calls, opts), null);
  assert.equal(windowLabel(6, calls, opts), 0); // ends 1 s before the call
  assert.equal(windowLabel(6.1, calls, opts), null);
  assert.equal(windowLabel(15.1, calls, opts), 0);
});

test('onset: positive when centred within onsetSec of a start, negative from clearSec on, inside the call too', () => {
  const opts = { windowSec: 1, labelling: 'onset' as const, minCoverage: 0.8, clearSec: 0.25, onsetSec: 0.1 };
  assert.equal(windowLabel(9.5, calls, opts), 1);
  assert.equal(windowLabel(9.6, calls, opts), 1);
  assert.equal(windowLabel(9.65, calls, opts), null);
  assert.equal(windowLabel(9.75, calls, opts), 0);
  assert.equal(windowLabel(11, calls, opts), 0, 'centred inside the call, far from its start');
});

test('track windows become out-of-fold predictions, window i starting at i·hop − leadSec', () => {
  const track = { recording: 'r.wav', fold: 2, scores: Float32Array.from({ length: 30 }, (_, i) => i / 30), durationSec: 14, hopSec: 0.5, windowSec: 3 };
  const preds = trackWindowPredictions([track], new Map([['r.wav', calls]]), { ...DEFAULT_FIELD_WINDOWS, windowSec: 3 }, (r) => `/data/${r}`);
  assert.ok(preds.every((p) => p.file === '/data/r.wav' && p.group === 'r.wav' && p.fold === 2));
  assert.deepEqual(preds.filter((p) => p.label === 1).map((p) => p.start_s), [9.5, 10, 10.5, 11, 11.5]);
  assert.deepEqual(preds.filter((p) => p.label === 0).map((p) => p.start_s), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6]);
  const lead = trackWindowPredictions([track], new Map([['r.wav', calls]]), { ...DEFAULT_FIELD_WINDOWS, windowSec: 3, leadSec: 1.5 }, (r) => r);
  assert.deepEqual(lead.filter((p) => p.label === 1).map((p) => p.start_s), [9.5, 10, 10.5, 11, 11.5], 'the same times, three indices later');
  assert.deepEqual(lead.filter((p) => p.label === 1).map((p) => p.score), [22, 23, 24, 25, 26].map((i) => Math.fround(i / 30)));
  // a recording without labels gives none
  assert.equal(trackWindowPredictions([track], new Map(), { ...DEFAULT_FIELD_WINDOWS, windowSec: 3 }, (r) => r).length, 0);
});
