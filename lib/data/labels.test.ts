import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCountLabels, labelsDirFor } from './labels.ts';
import { FOREST_DIR, KAGGLE_LABELS_DIR, SAMPLE_DATA_DIR } from './paths.ts';
import { readLabelledRecordings } from '../records/labels.ts';
import { DEFAULT_RECORDING_ROLES, roleOf } from './roles.ts';

test('data/labels: the team labels of recordings 00–49 — 111 calls of 4.1 s, 50 counts that agree with them', () => {
  const labels = findCountLabels(KAGGLE_LABELS_DIR)!;
  assert.equal(labels.counts.length, 50);
  assert.deepEqual(labels.counts.map((c) => c.recording), Array.from({ length: 50 }, (_, i) => `recording_${String(i).padStart(2, '0')}.mp3`));
  assert.equal(labels.calls!.length, 111);
  for (const c of labels.calls!) assert.ok(Math.abs(c.end_s - c.start_s - 4.1) < 1e-6, `${c.recording} call ${c.call_index} lasts ${c.end_s - c.start_s} s`);
  // readLabelledRecordings refuses files whose counts and calls disagree
  const byRecording = readLabelledRecordings(join(KAGGLE_LABELS_DIR, 'labels_calls.csv'));
  for (const c of labels.counts) assert.equal(byRecording.get(c.recording)?.length, c.capuchin_calls, c.recording);
  const byRole = (role: string) => labels.calls!.filter((c) => roleOf(c.recording, DEFAULT_RECORDING_ROLES) === role).length;
  assert.deepEqual([byRole('field'), byRole('holdout'), byRole('evaluation')], [89, 22, 0]);
});

test('labels for a data folder: its own first, else data/labels for folders holding Kaggle recordings, else none', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-labelsdir-'));
  try {
    assert.equal(labelsDirFor(SAMPLE_DATA_DIR), SAMPLE_DATA_DIR, "the sample's own labels of its excerpt win");
    const kaggle = join(root, 'kaggle');
    mkdirSync(join(kaggle, FOREST_DIR), { recursive: true });
    writeFileSync(join(kaggle, FOREST_DIR, 'recording_07.mp3'), '');
    assert.equal(labelsDirFor(kaggle), KAGGLE_LABELS_DIR);
    assert.equal(findCountLabels(kaggle)!.counts.find((c) => c.recording === 'recording_07.mp3')!.capuchin_calls, 2);
    const other = join(root, 'other');
    mkdirSync(join(other, FOREST_DIR), { recursive: true });
    writeFileSync(join(other, FOREST_DIR, 'site3_20240101.wav'), '');
    assert.equal(labelsDirFor(other), null);
    assert.equal(findCountLabels(other), null);
    writeFileSync(join(kaggle, 'labels_counts.csv'), 'recording,capuchin_calls\nrecording_07.mp3,3\n');
    assert.equal(findCountLabels(kaggle)!.counts[0].capuchin_calls, 3, "a user's labels beside the data win");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
