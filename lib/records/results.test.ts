import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import { readResultsCsv, resultRowsForFolder, resultsCsv } from './results.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'capuchin-results-'));

test('results.csv: every recording of the folder, sorted by code point, zeros kept, empty for failures', () => {
  const rows = resultRowsForFolder(
    ['recording_10.mp3', 'Recording_02.wav', 'recording_01.mp3'],
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
  // recording ids of a recursive scan keep their folders: two sites may hold the same file name
  const nested = resultRowsForFolder(['siteB/20240301_050000.WAV', 'siteA/20240301_050000.WAV'], new Map([['siteA/20240301_050000.WAV', 2]]));
  assert.equal(resultsCsv(nested), 'recording,capuchin_calls\nsiteA/20240301_050000.WAV,2\nsiteB/20240301_050000.WAV,\n');
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
  assert.throws(() => readResultsCsv(p), /header 'file,n'; expected recording,calls or recording,capuchin_calls or clip_name,call_count/);
  assert.throws(() => readResultsCsv(join(dir, 'nope.csv')), /cannot read .*nope\.csv/);
});

