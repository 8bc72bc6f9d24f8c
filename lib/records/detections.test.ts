import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import { detectionsCsv, readCallsWithEmptyRecordings, readDetectionsCsv } from './detections.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'capuchin-detections-'));

test('detections.csv round-trips; labels_calls.csv reads as detections without scores', () => {
  const dir = tmp();
  const p = join(dir, 'd.csv');
  const rows = [
    { recording: 'b.mp3', call_index: 0, start_s: 1.23456, end_s: 5.33456, score: 0.876543 },
    { recording: 'a.mp3', call_index: 1, start_s: 20, end_s: 24.1, score: 0.7 },
    { recording: 'a.mp3', call_index: 0, start_s: 3, end_s: 7.1, score: 0.99, start_time: '2024-03-01T05:30:03-03:00', site: 'North ridge' },
  ];
  writeFileSync(p, detectionsCsv(rows));
  assert.equal(readFileSync(p, 'utf8').split('\n')[0], 'recording,call_index,start_s,end_s,score,start_time,site');
  assert.deepEqual(readDetectionsCsv(p), [
    { recording: 'a.mp3', call_index: 0, start_s: 3, end_s: 7.1, score: 0.99, start_time: '2024-03-01T05:30:03-03:00', site: 'North ridge' },
    { recording: 'a.mp3', call_index: 1, start_s: 20, end_s: 24.1, score: 0.7, start_time: '', site: '' },
    { recording: 'b.mp3', call_index: 0, start_s: 1.235, end_s: 5.335, score: 0.8765, start_time: '', site: '' },
  ]);
  const labels = readDetectionsCsv(join(SAMPLE_DATA_DIR, 'labels_calls.csv'));
  assert.deepEqual(labels.map((l) => [l.call_index, l.start_s, l.end_s]), [[0, 2.57, 6.67], [1, 12.47, 16.57], [2, 19.81, 23.91]]);
  assert.ok(labels.every((l) => Number.isNaN(l.score)));
});

test('a labels file may name a recording without calls by a row with empty times', () => {
  const p = join(tmp(), 'reviewed_calls.csv');
  writeFileSync(p, 'recording,call_index,start_s,end_s\nr1.mp3,0,3,7.1\nr2.mp3,,,\n');
  assert.deepEqual(readCallsWithEmptyRecordings(p), { rows: [{ recording: 'r1.mp3', call_index: 0, start_s: 3, end_s: 7.1, score: NaN }], emptyRecordings: ['r2.mp3'] });
  assert.throws(() => readDetectionsCsv(p), /line 3: start_s is '', expected a number/);
});
