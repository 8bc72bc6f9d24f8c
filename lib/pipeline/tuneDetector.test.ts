/**
 * tune-detector on real field audio (data/field-sample/) with the shipped model: it tunes on the field recordings
 * and reports on the held-out one, both through the protocol's roles; an evaluation recording in the same folder,
 * labelled, is never read (its file is not audio), and patterns that put a recording in two roles are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { resolveRecordingRoles } from '../data/roles.ts';
import { runTuneDetector } from './tuneDetector.ts';

const FIELD_SAMPLE = join(REPO_ROOT, 'data', 'field-sample');
const HELD_OUT = 'recording_46_excerpt.mp3';

function dataFolder(root: string): { data: string; field: string[] } {
  const data = join(root, 'kaggle');
  const forest = join(data, FOREST_DIR);
  mkdirSync(forest, { recursive: true });
  const field = readdirSync(join(FIELD_SAMPLE, FOREST_DIR)).sort();
  for (const f of field) symlinkSync(join(FIELD_SAMPLE, FOREST_DIR, f), join(forest, f));
  copyFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, HELD_OUT), join(forest, HELD_OUT));
  writeFileSync(join(forest, 'recording_77.mp3'), 'not audio: reading this evaluation recording fails the run\n');
  const rows = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1);
  writeFileSync(join(data, 'labels_calls.csv'), ['recording,call_index,start_s,end_s', ...rows(FIELD_SAMPLE, 'labels_calls.csv'), ...rows(SAMPLE_DATA_DIR, 'labels_calls.csv'), 'recording_77.mp3,0,2,6.1'].join('\n') + '\n');
  writeFileSync(join(data, 'labels_counts.csv'), ['recording,capuchin_calls', ...rows(FIELD_SAMPLE, 'labels_counts.csv'), ...rows(SAMPLE_DATA_DIR, 'labels_counts.csv'), 'recording_77.mp3,1'].join('\n') + '\n');
  return { data, field };
}

test('tune-detector: tunes on the field recordings, reports on the held-out one, never reads an evaluation recording', { timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-tune-'));
  try {
    const { data, field } = dataFolder(root);
    const lines: string[] = [];
    const run = await runTuneDetector({ modelDir: DEFAULT_MODEL_DIR, dataDir: data, recordingsDir: join(data, FOREST_DIR), outDir: join(root, 'out'), folds: 3, log: (l) => lines.push(l) });
    assert.deepEqual(lines.filter((l) => l.includes('FAILED')), [], 'the non-audio evaluation recording was read');
    const report = JSON.parse(readFileSync(join(root, 'out', 'tune_report.json'), 'utf8'));
    assert.deepEqual([...report.tuneRecordings].sort(), field);
    assert.deepEqual(report.testRecordings, [HELD_OUT]);
    // the shipped model on recording 46's excerpt (held out: never trained or tuned on) with the tuned detector
    assert.equal(run.heldOut!.n, 1);
    assert.equal(run.heldOut!.recordings[0].truth, 3);
    assert.equal(run.heldOut!.recordings[0].predicted, 3, "the shipped model counts the held-out excerpt exactly");
    assert.equal(run.tune.folds.length, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('tune-detector: roles that overlap are refused, and so are the old --tune/--test regexes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-tune-'));
  try {
    const { data } = dataFolder(root);
    const roles = resolveRecordingRoles({ field: /^recording_[0-4]\d/ });
    await assert.rejects(
      runTuneDetector({ modelDir: DEFAULT_MODEL_DIR, dataDir: data, recordingsDir: join(data, FOREST_DIR), outDir: join(root, 'out'), roles, log: () => {} }),
      /recording_46_excerpt\.mp3 matches more than one role .*Fix: make --field-recordings and --holdout-recordings disjoint/,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'experiments/tuneDetector.ts', '--model', DEFAULT_MODEL_DIR, '--data', data, '--tune', 'recording_[0-4]\\d'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /--tune is gone: .*Fix: use --field-recordings/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
