import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_DATA_DIR } from '../lib/data/paths.ts';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'experiments/evaluateCounts.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('evaluate-counts end to end on the sample labels: table, count_eval.json, defaults picked up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-evalcounts-'));
  writeFileSync(join(dir, 'results.csv'), 'recording,capuchin_calls\nrecording_46_excerpt.mp3,2\nextra.mp3,1\n');
  // labels start at 2.57, 12.47, 19.81 s: a detection 0.3 s after the first labelled call (2.87), one 1.7 s
  // after the third (21.51, outside ±1 s) → TP 1, FP 1, FN 2, F1 = 2·1 / (2·1 + 1 + 2) = 0.40, mean start error 0.30 s
  writeFileSync(join(dir, 'detections.csv'), 'recording,call_index,start_s,end_s,score\nrecording_46_excerpt.mp3,0,2.87,6.97,0.9\nrecording_46_excerpt.mp3,1,21.51,25.61,0.7\n');
  const out = join(dir, 'eval');
  const r = cli(['--results', join(dir, 'results.csv'), '--data', SAMPLE_DATA_DIR, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /recording_46_excerpt\.mp3\s+3\s+2\s+1\s+1\s+1\s+2\s+0\.40/);
  assert.match(r.stdout, /MAE 1\.00/);
  assert.match(r.stdout, /precision 0\.50\s+recall 0\.33/);
  assert.match(r.stdout, /F1 0\.40\s+mean start error 0\.30 s/);
  const json = JSON.parse(readFileSync(join(out, 'count_eval.json'), 'utf8'));
  assert.equal(json.mae, 1);
  assert.equal(json.exactRate, 0);
  assert.deepEqual([json.events.tp, json.events.fp, json.events.fn], [1, 1, 2]);
  assert.ok(Math.abs(json.events.meanStartErrorSec - 0.3) < 1e-9);
  assert.deepEqual(json.unlabelled, ['extra.mp3']);
  assert.equal(json.inputs.calls, join(SAMPLE_DATA_DIR, 'labels_calls.csv'));
});

test('--recordings filters, a missing recording counts as an error, bad input fails clearly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-evalcounts-'));
  writeFileSync(join(dir, 'labels.csv'), 'recording,capuchin_calls\nrecording_01.mp3,4\nrecording_41.mp3,2\nrecording_42.mp3,0\n');
  writeFileSync(join(dir, 'results.csv'), 'clip_name,call_count\nrecording_01.mp3,9\nrecording_41.mp3,2\n');
  const r = cli(['--results', join(dir, 'results.csv'), '--labels', join(dir, 'labels.csv'), '--recordings', 'recording_4[0-9]']);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'count_eval.json'), 'utf8'));
  assert.deepEqual(json.recordings.map((x: { recording: string }) => x.recording), ['recording_41.mp3', 'recording_42.mp3']);
  assert.deepEqual(json.missing, ['recording_42.mp3']);
  assert.equal(json.exactRate, 0.5);
  assert.equal(json.events, undefined);

  const none = cli(['--results', join(dir, 'results.csv'), '--labels', join(dir, 'labels.csv'), '--recordings', 'nothing']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no labelled recording matches --recordings 'nothing'/);
  const badRe = cli(['--results', join(dir, 'results.csv'), '--labels', join(dir, 'labels.csv'), '--recordings', '(']);
  assert.match(badRe.stderr, /not a valid regular expression/);
  writeFileSync(join(dir, 'bad.csv'), 'recording,capuchin_calls\nrecording_41.mp3,two\n');
  const bad = cli(['--results', join(dir, 'bad.csv'), '--labels', join(dir, 'labels.csv')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.csv line 2: capuchin_calls is 'two'/);
});
