import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readLabelledRecordings } from '../../../records/labels.ts';
import { readRavenTable } from '../../../records/raven.ts';
import { readVerdictsCsv } from '../../../records/verdicts.ts';
import { addedCallLength, canMarkDone, csvField, reviewRavenTable, reviewedCallsCsv, verdictsCsv } from './exports.ts';
import { recordingState, reviewEvent, reviewIndex } from './__fixtures__/reviewIndex.ts';

const ev = (start_s: number, peak_score: number) => reviewEvent(start_s, peak_score, 4.1);
const index = reviewIndex('abc', 'source', [
  { key: 'r00001', recording: 'a, "odd".mp3', durationSec: 60, count: 2, bestScore: 0.99, events: [ev(3, 0.99), ev(20, 0.55)], candidates: [{ time_s: 40, score: 0.45 }] },
  { key: 'r00002', recording: 'b.mp3', durationSec: 60, count: 1, bestScore: 0.7, events: [ev(10, 0.7)], candidates: [] },
  { key: 'r00003', recording: 'c.mp3', durationSec: 60, count: 0, bestScore: 0.1, events: [], candidates: [{ time_s: 5, score: 0.31 }] },
  { key: 'r00004', recording: 'd.mp3', durationSec: null, count: null, bestScore: null, error: 'bad', events: [], candidates: [] },
]);
const st = recordingState;

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
  const one = reviewRavenTable([index.recordings[0]], states, false).trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(one[0], ['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score', 'Verdict']);
  // numbers as lib/records/raven.ts writes them; undecided detections kept with an empty verdict
  assert.deepEqual(one.slice(1), [
    ['1', 'Spectrogram 1', '1', '3.000', '7.100', '500.0', '2500.0', '0.9900', ''],
    ['2', 'Spectrogram 1', '1', '20.000', '24.100', '500.0', '2500.0', '0.5500', 'unsure'],
    ['3', 'Spectrogram 1', '1', '44.000', '48.100', '500.0', '2500.0', '', 'added'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-exports-'));
  try {
    // the project's readers take both files back
    writeFileSync(join(dir, 'verdicts.csv'), verdictsCsv(index, states));
    assert.deepEqual(readVerdictsCsv(join(dir, 'verdicts.csv')).map((r) => [r.detection, r.verdict, r.score]), [[2, 'unsure', 0.55], [3, 'added', null]]);
    writeFileSync(join(dir, 'one.txt'), reviewRavenTable([index.recordings[0]], states, false));
    assert.deepEqual(readRavenTable(join(dir, 'one.txt')).map((r) => [r.selection, r.begin_s, r.end_s]), [[1, 3, 7.1], [2, 20, 24.1], [3, 44, 48.1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('combined Raven table: a Begin File column after Channel, each recording in start order (nudged and added calls included)', () => {
  const states = { r00001: st({ verdicts: { 0: 'accept' }, starts: { 0: 25 }, added: [{ start_s: 1.5, end_s: 5.6 }] }), r00002: st({ verdicts: { 0: 'reject' } }) };
  const rows = reviewRavenTable(index.recordings.slice(0, 2), states).trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(rows[0].slice(0, 5), ['Selection', 'View', 'Channel', 'Begin File', 'Begin Time (s)']);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[3], r[4], r[5], r[9]]), [
    ['1', 'a, "odd".mp3', '1.500', '5.600', 'added'],
    ['2', 'a, "odd".mp3', '20.000', '24.100', ''],
    ['3', 'a, "odd".mp3', '25.000', '29.100', 'accept'],
    ['4', 'b.mp3', '10.000', '14.100', 'reject'],
  ]);
});

test('a recording can be marked reviewed only when every detection is accepted or rejected', () => {
  const r = index.recordings[0];
  assert.equal(canMarkDone(r, st({ verdicts: { 0: 'accept', 1: 'unsure' } })), false);
  assert.equal(canMarkDone(r, st({ verdicts: { 0: 'accept', 1: 'reject' } })), true);
  assert.equal(canMarkDone(index.recordings[2], undefined), true, 'no detections');
  assert.equal(canMarkDone(index.recordings[3], undefined), false, 'failed file');
  assert.equal(csvField('x\ny'), '"x\ny"');
  assert.equal(csvField('plain'), 'plain');
});

test('an added call is as long as the median detection of its recording, or the window when it has none', () => {
  const withLengths = (...l: number[]) => ({ ...index.recordings[0], events: l.map((x, i) => ({ start_s: 10 * i, end_s: 10 * i + x, peak_s: 10 * i, peak_score: 0.9 })) });
  assert.equal(addedCallLength(withLengths(4, 2, 9), 3), 4);
  assert.equal(addedCallLength(withLengths(4, 2, 9, 5), 3), 4.5);
  assert.equal(addedCallLength(index.recordings[2], 3), 3);
});
