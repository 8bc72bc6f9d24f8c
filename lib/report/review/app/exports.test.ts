import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readLabelledRecordings } from '../../../records/labels.ts';
import type { ReviewIndex } from '../types.ts';
import { canMarkDone, csvField, ravenTable, reviewedCallsCsv, verdictsCsv } from './exports.ts';
import { reviewQueue } from './queue.ts';
import { emptyRecording, parseState, ReviewStore, storageKey, type RecordingState } from './state.ts';

const ev = (start_s: number, peak_score: number) => ({ start_s, end_s: start_s + 4.1, peak_s: start_s + 2, peak_score });
const index: ReviewIndex = {
  version: 1, runId: 'abc', title: 't', createdAt: '2026-12-02T00:00:00Z', audio: 'source',
  detector: { onThreshold: 0.5, offThreshold: 0.3, smoothing: 'mean', smoothingWindows: 3, windowSec: 3, hopSec: 0.5 },
  recordings: [
    { key: 'r00001', recording: 'a, "odd".mp3', durationSec: 60, count: 2, bestScore: 0.99, events: [ev(3, 0.99), ev(20, 0.55)], candidates: [{ time_s: 40, score: 0.45 }] },
    { key: 'r00002', recording: 'b.mp3', durationSec: 60, count: 1, bestScore: 0.7, events: [ev(10, 0.7)], candidates: [] },
    { key: 'r00003', recording: 'c.mp3', durationSec: 60, count: 0, bestScore: 0.1, events: [], candidates: [{ time_s: 5, score: 0.31 }] },
    { key: 'r00004', recording: 'd.mp3', durationSec: null, count: null, bestScore: null, error: 'bad', events: [], candidates: [] },
  ],
};
const st = (s: Partial<RecordingState>): RecordingState => ({ ...emptyRecording(), ...s });

test('reviewed_calls.csv: only recordings marked reviewed, accepted (nudged) and added calls, empty row for none; read back by the trainer', () => {
  const states = {
    r00001: st({ verdicts: { 0: 'accept', 1: 'reject' }, starts: { 0: 3.2 }, added: [{ start_s: 44, end_s: 48.1 }], done: true }),
    r00002: st({ verdicts: { 0: 'accept' } }), // not marked: left out
    r00003: st({ done: true }),
  };
  const text = reviewedCallsCsv(index, states);
  assert.equal(text, 'recording,call_index,start_s,end_s\n"a, ""odd"".mp3",0,3.2,7.3\n"a, ""odd"".mp3",1,44,48.1\nc.mp3,,,\n');
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-exports-'));
  try {
    writeFileSync(join(dir, 'reviewed_calls.csv'), text);
    const read = readLabelledRecordings(join(dir, 'reviewed_calls.csv'));
    assert.deepEqual([...read.keys()].sort(), ['a, "odd".mp3', 'c.mp3']);
    assert.deepEqual(read.get('c.mp3'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verdicts.csv and Raven: every decided detection and added call, numbered after the events', () => {
  const states = { r00001: st({ verdicts: { 1: 'unsure' }, added: [{ start_s: 44, end_s: 48.1 }] }) };
  const rows = parse(verdictsCsv(index, states), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows, [
    { recording: 'a, "odd".mp3', detection: '2', start_s: '20', end_s: '24.1', verdict: 'unsure', score: '0.55' },
    { recording: 'a, "odd".mp3', detection: '3', start_s: '44', end_s: '48.1', verdict: 'added', score: '' },
  ]);
  const one = ravenTable([index.recordings[0]], states, false).trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(one[0].slice(-2), ['Score', 'Verdict']);
  assert.deepEqual(one.slice(1).map((r) => [r[0], r[3], r[8]]), [['1', '3', ''], ['2', '20', 'unsure'], ['3', '44', 'added']]);
});

test('a recording can be marked reviewed only when every detection is accepted or rejected', () => {
  const r = index.recordings[0];
  assert.equal(canMarkDone(r, st({ verdicts: { 0: 'accept', 1: 'unsure' } })), false);
  assert.equal(canMarkDone(r, st({ verdicts: { 0: 'accept', 1: 'reject' } })), true);
  assert.equal(canMarkDone(index.recordings[2], undefined), true, 'no detections');
  assert.equal(canMarkDone(index.recordings[3], undefined), false, 'failed file');
  assert.equal(csvField('x\ny'), '"x\ny"');
});

test('next to review: scores nearest the on threshold first, then candidates highest first; decided and reviewed ones skipped', () => {
  const q = (states: Record<string, RecordingState>) => reviewQueue(index, { version: 1, recordings: states }).map((i) => `${i.key}:${i.kind}:${i.index}`);
  assert.deepEqual(q({}), ['r00001:event:1', 'r00002:event:0', 'r00001:event:0', 'r00001:candidate:0', 'r00003:candidate:0']);
  assert.deepEqual(q({ r00001: st({ verdicts: { 1: 'accept' }, candidates: { 0: 'reject' } }), r00003: st({ done: true }) }), ['r00002:event:0', 'r00001:event:0']);
});

test('saved state: survives a round trip, a broken or full store is reported and never thrown', () => {
  const mem = new Map<string, string>();
  const store = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
  const a = new ReviewStore('run1', store);
  a.recording('r00001').verdicts[0] = 'accept';
  a.save();
  assert.ok(mem.has(storageKey('run1')));
  assert.equal(new ReviewStore('run1', store).peek('r00001')?.verdicts[0], 'accept');
  assert.equal(new ReviewStore('run2', store).peek('r00001'), undefined, 'another run starts empty');
  assert.match(parseState('{nope').error!, /not JSON/);
  const full = new ReviewStore('run1', { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } });
  full.save();
  assert.match(full.problem!, /cannot save .*QuotaExceededError/);
});
