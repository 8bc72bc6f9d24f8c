import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFieldLabels } from './fieldLabels.ts';
import { DEFAULT_RECORDING_ROLES, resolveRecordingRoles, roleOf } from './recordings.ts';

test('only field recordings train: held-out and evaluation recordings in the labels file are listed and ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-field-labels-'));
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
