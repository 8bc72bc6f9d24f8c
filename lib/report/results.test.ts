import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDetectorConfig } from '../detect/config.ts';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import {
  detectionsCsv,
  readDetectionsCsv,
  readErrorsCsv,
  readResultsCsv,
  resultRowsForFolder,
  resultsCsv,
  writeCountOutputs,
} from './results.ts';
import { readRavenTable } from './raven.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'capuchin-results-'));
const ev = (start_s: number, peak_score = 0.9) => ({ start_s, end_s: start_s + 4.1, peak_score, peak_s: start_s + 2 });

test('results.csv: every file of the folder, sorted by code point, zeros kept, empty for failures', () => {
  const rows = resultRowsForFolder(
    ['/x/Forest Recordings/recording_10.mp3', '/x/Forest Recordings/Recording_02.wav', '/x/Forest Recordings/recording_01.mp3'],
    new Map([
      ['recording_10.mp3', 0],
      ['Recording_02.wav', null],
      ['recording_01.mp3', 4],
    ]),
  );
  assert.equal(resultsCsv(rows), 'recording,capuchin_calls\nRecording_02.wav,\nrecording_01.mp3,4\nrecording_10.mp3,0\n');
  assert.equal(resultsCsv(rows, 'contest'), 'clip_name,call_count\nRecording_02.wav,\nrecording_01.mp3,4\nrecording_10.mp3,0\n');
  // a file with no entry at all is written empty too (it was not counted)
  assert.deepEqual(resultRowsForFolder(['a.mp3'], new Map()), [{ recording: 'a.mp3', count: null }]);
  assert.throws(() => resultRowsForFolder(['a.mp3'], new Map([['b.mp3', 1]])), /count was given for b\.mp3/);
  assert.throws(() => resultsCsv([{ recording: 'a', count: 1 }, { recording: 'a', count: 2 }]), /two rows for a/);
});

test('readResultsCsv reads both layouts and the sample labels; bad cells name file and line', () => {
  const dir = tmp();
  const p = join(dir, 'r.csv');
  writeFileSync(p, resultsCsv([{ recording: 'a.mp3', count: 2 }, { recording: 'b.mp3', count: null }], 'contest'));
  assert.deepEqual(readResultsCsv(p), { rows: [{ recording: 'a.mp3', count: 2 }, { recording: 'b.mp3', count: null }], format: 'contest' });
  assert.deepEqual(readResultsCsv(join(SAMPLE_DATA_DIR, 'labels_counts.csv')).rows, [{ recording: 'recording_46_excerpt.mp3', count: 3 }]);
  writeFileSync(p, 'recording,capuchin_calls\na.mp3,2.5\n');
  assert.throws(() => readResultsCsv(p), /r\.csv line 2: capuchin_calls is '2\.5', expected a whole number/);
  writeFileSync(p, 'file,n\na.mp3,2\n');
  assert.throws(() => readResultsCsv(p), /header 'file,n'; expected recording,capuchin_calls or clip_name,call_count/);
  assert.throws(() => readResultsCsv(join(dir, 'nope.csv')), /cannot read .*nope\.csv/);
});

test('detections.csv round-trips; labels_calls.csv reads as detections without scores', () => {
  const dir = tmp();
  const p = join(dir, 'd.csv');
  const rows = [
    { recording: 'b.mp3', call_index: 0, start_s: 1.23456, end_s: 5.33456, score: 0.876543 },
    { recording: 'a.mp3', call_index: 1, start_s: 20, end_s: 24.1, score: 0.7 },
    { recording: 'a.mp3', call_index: 0, start_s: 3, end_s: 7.1, score: 0.99 },
  ];
  writeFileSync(p, detectionsCsv(rows));
  assert.deepEqual(readDetectionsCsv(p), [
    { recording: 'a.mp3', call_index: 0, start_s: 3, end_s: 7.1, score: 0.99 },
    { recording: 'a.mp3', call_index: 1, start_s: 20, end_s: 24.1, score: 0.7 },
    { recording: 'b.mp3', call_index: 0, start_s: 1.235, end_s: 5.335, score: 0.8765 },
  ]);
  const labels = readDetectionsCsv(join(SAMPLE_DATA_DIR, 'labels_calls.csv'));
  assert.deepEqual(labels.map((l) => [l.call_index, l.start_s, l.end_s]), [[0, 2.57, 6.67], [1, 12.47, 16.57], [2, 19.81, 23.91]]);
  assert.ok(labels.every((l) => Number.isNaN(l.score)));
});

test('writeCountOutputs writes the whole set: results, detections, errors, config, Raven tables', () => {
  const dir = tmp();
  const detector = resolveDetectorConfig({ onThreshold: 0.6 });
  const written = writeCountOutputs({
    outDir: dir,
    audioFiles: ['r2.mp3', 'r1.mp3', 'broken.wav', 'quiet.mp3'],
    outcomes: [
      { recording: 'r1.mp3', count: 2, events: [ev(30), ev(3.5, 0.8)] },
      { recording: 'r2.mp3', count: 1, events: [ev(100)] },
      { recording: 'quiet.mp3', count: 0, events: [] },
      { recording: 'broken.wav', count: null, events: [], error: 'truncated: the data chunk ends early' },
    ],
    detector,
  });
  assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8'), 'recording,capuchin_calls\nbroken.wav,\nquiet.mp3,0\nr1.mp3,2\nr2.mp3,1\n');
  const det = readDetectionsCsv(join(dir, 'detections.csv'));
  assert.deepEqual(det.map((d) => [d.recording, d.call_index, d.start_s, d.score]), [
    ['r1.mp3', 0, 3.5, 0.8],
    ['r1.mp3', 1, 30, 0.9],
    ['r2.mp3', 0, 100, 0.9],
  ]);
  assert.deepEqual(readErrorsCsv(join(dir, 'errors.csv')), [{ recording: 'broken.wav', error: 'truncated: the data chunk ends early' }]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'detector_config.json'), 'utf8')), detector);
  assert.deepEqual(readdirSync(join(dir, 'raven')).sort(), [
    'quiet.capuchin.selection.table.txt',
    'r1.capuchin.selection.table.txt',
    'r2.capuchin.selection.table.txt',
  ]);
  assert.deepEqual(readRavenTable(join(dir, 'raven', 'r1.capuchin.selection.table.txt')).map((s) => s.begin_s), [3.5, 30]);
  assert.equal(readRavenTable(join(dir, 'raven', 'quiet.capuchin.selection.table.txt')).length, 0);
  assert.equal(written.length, 7);
  // no temp files are left behind by the atomic writes
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});
