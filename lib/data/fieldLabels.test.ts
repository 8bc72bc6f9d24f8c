import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../util/__fixtures__/tempDir.ts';
import { readFieldLabels } from './fieldLabels.ts';
import { DEFAULT_RECORDING_ROLES, resolveRecordingRoles, roleOf } from './roles.ts';


test('only field recordings train: held-out and evaluation recordings in the labels file are listed and ignored', () => {
  const dir = tempDir('capuchin-field-labels-');
  const path = join(dir, 'labels_calls.csv');
  writeFileSync(path, 'recording,call_index,start_s,end_s\nrecording_03.mp3,0,10,14.1\nrecording_45.mp3,0,5,9.1\nrecording_77.mp3,0,1,5.1\nsite_b.wav,0,2,6.1\nrecording_12.mp3,,,\n');
  const read = readFieldLabels(path, DEFAULT_RECORDING_ROLES);
  assert.deepEqual([...read.labels.keys()], ['recording_03.mp3', 'recording_12.mp3']);
  assert.equal(read.calls, 1);
  assert.deepEqual(read.ignored, [
    { recording: 'recording_45.mp3', reason: 'holdout recording: never used for training' },
    { recording: 'recording_77.mp3', reason: 'evaluation recording: never used for training' },
    { recording: 'site_b.wav', reason: 'matches no field pattern' },
  ]);
  // another site's names become field data through --field-recordings
  const roles = resolveRecordingRoles({ field: /^site_/ });
  assert.deepEqual([...readFieldLabels(path, roles).labels.keys()], ['site_b.wav']);
});

test('recording roles: the defaults, names with suffixes, and overlapping patterns refused', () => {
  assert.equal(roleOf('recording_07.mp3', DEFAULT_RECORDING_ROLES), 'field');
  assert.equal(roleOf('/x/recording_46_excerpt.mp3', DEFAULT_RECORDING_ROLES), 'holdout');
  assert.equal(roleOf('recording_99.mp3', DEFAULT_RECORDING_ROLES), 'evaluation');
  assert.equal(roleOf('recording_100.mp3', DEFAULT_RECORDING_ROLES), null);
  const overlapping = resolveRecordingRoles({ field: /^recording_/ });
  assert.throws(() => roleOf('recording_44.mp3', overlapping), /matches more than one role .*--field-recordings and --holdout-recordings disjoint/);
});

test('a verdicts.csv beside the labels: its rejected detections of labelled field recordings become hard negatives', () => {
  const dir = tempDir('capuchin-field-verdicts-');
  const path = join(dir, 'reviewed_calls.csv');
  writeFileSync(path, 'recording,call_index,start_s,end_s\nrecording_03.mp3,0,10,14.1\nrecording_12.mp3,,,\nrecording_45.mp3,0,5,9.1\n');
  // without verdicts.csv: nothing rejected
  const plain = readFieldLabels(path, DEFAULT_RECORDING_ROLES);
  assert.equal(plain.verdictsSource, null);
  assert.equal(plain.hardNegatives, 0);
  assert.equal(plain.rejected.size, 0);
  writeFileSync(
    join(dir, 'verdicts.csv'),
    [
      'recording,detection,start_s,end_s,verdict,score',
      'recording_03.mp3,1,10.2,14.3,accept,0.97',
      'recording_03.mp3,3,80,84.1,reject,0.71',
      'recording_03.mp3,2,40.5,44.6,reject,0.66',
      'recording_03.mp3,4,120,124.1,unsure,0.55',
      'recording_03.mp3,5,150,154.1,added,',
      'recording_12.mp3,1,3,7.1,reject,0.6',
      'recording_45.mp3,1,20,24.1,reject,0.9', // held out: never trains
      'recording_07.mp3,1,20,24.1,reject,0.9', // not marked reviewed (not in the labels)
    ].join('\n') + '\n',
  );
  const read = readFieldLabels(path, DEFAULT_RECORDING_ROLES);
  assert.equal(read.verdictsSource, join(dir, 'verdicts.csv'));
  assert.equal(read.hardNegatives, 3);
  assert.deepEqual([...read.rejected.entries()], [
    ['recording_03.mp3', [{ start_s: 40.5, end_s: 44.6 }, { start_s: 80, end_s: 84.1 }]],
    ['recording_12.mp3', [{ start_s: 3, end_s: 7.1 }]],
  ]);
  assert.deepEqual([...read.labels.keys()], ['recording_03.mp3', 'recording_12.mp3'], 'the labels are unchanged');
});

test('verdicts.csv is checked: a bad verdict, a missing column, a bad number each name the file, the line and the fix', () => {
  const dir = tempDir('capuchin-field-verdicts-bad-');
  const path = join(dir, 'reviewed_calls.csv');
  writeFileSync(path, 'recording,call_index,start_s,end_s\nrecording_03.mp3,0,10,14.1\n');
  const verdicts = join(dir, 'verdicts.csv');
  const header = 'recording,detection,start_s,end_s,verdict,score\n';
  writeFileSync(verdicts, header + 'recording_03.mp3,1,10,14.1,accept,0.9\nrecording_03.mp3,2,40,44.1,maybe,0.5\n');
  assert.throws(() => readFieldLabels(path, DEFAULT_RECORDING_ROLES), (err: Error) => {
    assert.match(err.message, /verdicts\.csv line 3: verdict is 'maybe', expected one of accept, reject, unsure, added\. Fix: /);
    assert.ok(err.message.includes(verdicts));
    return true;
  });
  writeFileSync(verdicts, 'recording,detection,start_s,end_s,score\nrecording_03.mp3,1,10,14.1,0.9\n');
  assert.throws(() => readFieldLabels(path, DEFAULT_RECORDING_ROLES), /verdicts\.csv has no column\(s\) verdict \(header: recording,detection,start_s,end_s,score\)\. Fix: export verdicts\.csv again/);
  writeFileSync(verdicts, header + 'recording_03.mp3,0,10,14.1,reject,0.9\n');
  assert.throws(() => readFieldLabels(path, DEFAULT_RECORDING_ROLES), /verdicts\.csv line 2: detection is 0, expected the 1-based index/);
  writeFileSync(verdicts, header + 'recording_03.mp3,1,ten,14.1,reject,0.9\n');
  assert.throws(() => readFieldLabels(path, DEFAULT_RECORDING_ROLES), /verdicts\.csv line 2: start_s is 'ten', expected a number/);
  writeFileSync(verdicts, header + 'recording_03.mp3,1,14.1,10,reject,0.9\n');
  assert.throws(() => readFieldLabels(path, DEFAULT_RECORDING_ROLES), /verdicts\.csv line 2: start_s 14\.1, end_s 10; expected 0 ≤ start_s < end_s/);
});
