import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../util/__fixtures__/tempDir.ts';
import { readLabelledRecordings } from './labels.ts';
import { labelledRecordingsCsv, readVerdictsCsv, writeVerdictsCsv, type VerdictRow } from './verdicts.ts';


test('verdicts.csv round-trips, in the review page layout; reviewed_calls.csv reads back as the same labels', () => {
  const dir = tempDir('capuchin-verdicts-');
  const rows: VerdictRow[] = [
    { recording: 'recording_10.mp3', detection: 2, start_s: 50.1234, end_s: 54.2, verdict: 'reject', score: 0.61234 },
    { recording: 'recording_02.mp3', detection: 1, start_s: 3, end_s: 7.1, verdict: 'accept', score: 0.9 },
    { recording: 'recording_10.mp3', detection: 3, start_s: 90, end_s: 94.1, verdict: 'added', score: null },
  ];
  const path = join(dir, 'verdicts.csv');
  writeVerdictsCsv(path, rows);
  assert.equal(
    readFileSync(path, 'utf8'),
    'recording,detection,start_s,end_s,verdict,score\nrecording_02.mp3,1,3,7.1,accept,0.9\nrecording_10.mp3,2,50.123,54.2,reject,0.6123\nrecording_10.mp3,3,90,94.1,added,\n',
  );
  assert.deepEqual(readVerdictsCsv(path).map((r) => [r.recording, r.detection, r.verdict, r.score]), [
    ['recording_02.mp3', 1, 'accept', 0.9],
    ['recording_10.mp3', 2, 'reject', 0.6123],
    ['recording_10.mp3', 3, 'added', null],
  ]);

  const labels = new Map([
    ['recording_10.mp3', [{ start_s: 90, end_s: 94.1 }, { start_s: 12, end_s: 16.1 }]],
    ['recording_02.mp3', []],
  ]);
  const calls = join(dir, 'reviewed_calls.csv');
  writeFileSync(calls, labelledRecordingsCsv(labels));
  assert.equal(readFileSync(calls, 'utf8'), 'recording,call_index,start_s,end_s\nrecording_02.mp3,,,\nrecording_10.mp3,0,12,16.1\nrecording_10.mp3,1,90,94.1\n');
  assert.deepEqual([...readLabelledRecordings(calls).entries()], [
    ['recording_02.mp3', []],
    ['recording_10.mp3', [{ start_s: 12, end_s: 16.1 }, { start_s: 90, end_s: 94.1 }]],
  ]);
});
