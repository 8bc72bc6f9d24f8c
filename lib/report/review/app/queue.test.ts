import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewQueue } from './queue.ts';
import { type RecordingState } from './state.ts';
import { recordingState, reviewEvent, reviewIndex } from './__fixtures__/reviewIndex.ts';

const ev = reviewEvent;
const index = reviewIndex('q', 'none', [
  { key: 'r00001', recording: 'a.mp3', durationSec: 60, count: 2, bestScore: 0.99, events: [ev(3, 0.99), ev(20, 0.55)], candidates: [{ time_s: 40, score: 0.45 }] },
  { key: 'r00002', recording: 'b.mp3', durationSec: 60, count: 2, bestScore: 0.7, events: [ev(10, 0.7), ev(30, 0.45)], candidates: [] },
  { key: 'r00003', recording: 'c.mp3', durationSec: 60, count: 0, bestScore: 0.1, events: [], candidates: [{ time_s: 5, score: 0.31 }, { time_s: 9, score: 0.49 }] },
  { key: 'r00004', recording: 'd.mp3', durationSec: null, count: null, bestScore: null, error: 'bad', events: [], candidates: [] },
]);
const st = recordingState;
const order = (states: Record<string, RecordingState>) => reviewQueue(index, { version: 1, recordings: states }).map((i) => `${i.key}:${i.kind}:${i.index}`);

test('next to review: detections by |score − on threshold| (ties by recording, then index), then candidates highest first', () => {
  assert.deepEqual(order({}), [
    'r00001:event:1', 'r00002:event:1', // |0.55 − 0.5| = |0.45 − 0.5|: the tie in recording order
    'r00002:event:0', 'r00001:event:0',
    'r00003:candidate:1', 'r00001:candidate:0', 'r00003:candidate:0',
  ]);
});

test('next to review: items with a verdict (unsure too) or a decision are skipped, and so are recordings marked reviewed', () => {
  assert.deepEqual(order({ r00001: st({ verdicts: { 1: 'unsure' }, candidates: { 0: 'reject' } }), r00003: st({ done: true }) }), ['r00002:event:1', 'r00002:event:0', 'r00001:event:0']);
  assert.deepEqual(order({ r00001: st({ done: true }), r00002: st({ verdicts: { 0: 'accept', 1: 'reject' } }), r00003: st({ candidates: { 0: 'accept', 1: 'reject' } }) }), []);
});
