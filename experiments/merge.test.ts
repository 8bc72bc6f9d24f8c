import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/data/paths.ts';
import { resolveDetectorConfig } from '../lib/detect/config.ts';
import { writeCountOutputs, type RecordingOutcome } from '../lib/pipeline/countOutputs.ts';
import { OutputSet } from '../lib/util/outputSet.ts';

/** Write a shard's files as a count run does: staged, then committed with its manifest. */
function committed(dir: string, write: (staging: string) => unknown): void {
  const set = OutputSet.open(dir, 'count');
  write(set.dir);
  set.commit();
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'experiments/merge.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ev = (start_s: number) => ({ start_s, end_s: start_s + 4.1, peak_score: 0.9, peak_s: start_s + 2 });
const FILES = ['rec_a.mp3', 'rec_b.mp3', 'rec_c.wav', 'rec_d.mp3'];
const OUTCOMES: Record<string, RecordingOutcome> = {
  'rec_a.mp3': { recording: 'rec_a.mp3', count: 2, events: [ev(3), ev(40)] },
  'rec_b.mp3': { recording: 'rec_b.mp3', count: 0, events: [] },
  'rec_c.wav': { recording: 'rec_c.wav', count: null, events: [], error: 'truncated' },
  'rec_d.mp3': { recording: 'rec_d.mp3', count: 1, events: [ev(12.5)] },
};

/** Shard i of n as the counting run writes it: every n-th file, its own rows only. */
function writeShard(root: string, i: number, n: number, detector = resolveDetectorConfig()): string {
  const dir = join(root, `shard${i}`);
  const mine = FILES.filter((_, k) => k % n === i);
  committed(dir, (d) => writeCountOutputs({ outDir: d, recordings: mine, outcomes: mine.map((f) => OUTCOMES[f]), detector }));
  return dir;
}

test('merge joins shards into the same set a single run writes', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-merge-'));
  const shards = [writeShard(root, 0, 2), writeShard(root, 1, 2)];
  const single = join(root, 'single');
  committed(single, (d) => writeCountOutputs({ outDir: d, recordings: FILES, outcomes: Object.values(OUTCOMES), detector: resolveDetectorConfig() }));
  const folder = join(root, 'audio');
  mkdirSync(folder);
  for (const f of FILES) writeFileSync(join(folder, f), '');

  const out = join(root, 'merged');
  const r = cli(['--out', out, '--folder', folder, ...shards]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /merged 2 shard\(s\): 4 recording\(s\), 3 call\(s\), 1 failed/);
  for (const f of ['results.csv', 'detections.csv', 'errors.csv', 'detector_config.json'])
    assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(single, f), 'utf8'), f);
  assert.deepEqual(readdirSync(join(out, 'raven')).sort(), readdirSync(join(single, 'raven')).sort());
});

test('merge fails clearly on duplicates, conflicts and missing files', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-merge-'));
  const s0 = writeShard(root, 0, 2);
  const s1 = writeShard(root, 1, 2);
  const out = join(root, 'merged');

  const dup = cli(['--out', out, s0, s1, s0]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /rec_a\.mp3 was processed by two shards/);

  const folder = join(root, 'audio');
  mkdirSync(folder);
  for (const f of FILES) writeFileSync(join(folder, f), '');
  const missing = cli(['--out', out, '--folder', folder, s0]);
  assert.match(missing.stderr, /2 file\(s\) of the folder were processed by no shard: rec_b\.mp3, rec_d\.mp3/);

  const other = join(root, 'other');
  mkdirSync(other);
  committed(other, (d) => writeCountOutputs({ outDir: d, recordings: ['rec_b.mp3'], outcomes: [OUTCOMES['rec_b.mp3']], detector: resolveDetectorConfig({ onThreshold: 0.7 }) }));
  const cfg = cli(['--out', out, s0, other]);
  assert.match(cfg.stderr, /detector_config\.json differs/);

  // a shard edited by hand after its run is torn: refused
  writeFileSync(join(s1, 'results.csv'), 'recording,capuchin_calls\nrec_b.mp3,0\nrec_d.mp3,3\n');
  const torn = cli(['--out', out, s0, s1]);
  assert.match(torn.stderr, /shard1 is torn: results\.csv changed after the run wrote it/);
  // a complete set whose count disagrees with its own detection rows
  const odd = join(root, 'odd');
  committed(odd, (d) => {
    writeCountOutputs({ outDir: d, recordings: ['rec_b.mp3', 'rec_d.mp3'], outcomes: [OUTCOMES['rec_b.mp3'], OUTCOMES['rec_d.mp3']], detector: resolveDetectorConfig() });
    writeFileSync(join(d, 'results.csv'), 'recording,capuchin_calls\nrec_b.mp3,0\nrec_d.mp3,3\n');
  });
  const conflict = cli(['--out', out, s0, odd]);
  assert.match(conflict.stderr, /rec_d\.mp3 counts 3 but has 1 detection row\(s\)/);

  const notShard = cli(['--out', out, root]);
  assert.match(notShard.stderr, /has no capuchin-run\.json, so it is not a complete capuchin output set/);
  const intoInput = cli(['--out', s0, s0, odd]);
  assert.match(intoInput.stderr, /is one of the shard folders being merged/);
  assert.ok(!readdirSync(root).includes('merged'), 'nothing is written when the merge fails');
});

test('shards that list every file of the folder (empty rows for files they skipped) merge too', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-merge-'));
  const dirs = [0, 1].map((i) => {
    const dir = join(root, `full${i}`);
    const mine = FILES.filter((_, k) => k % 2 === i);
    committed(dir, (d) => writeCountOutputs({ outDir: d, recordings: FILES, outcomes: mine.map((f) => OUTCOMES[f]), detector: resolveDetectorConfig() }));
    return dir;
  });
  const out = join(root, 'merged');
  const r = cli(['--out', out, ...dirs]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), 'recording,capuchin_calls\nrec_a.mp3,2\nrec_b.mp3,0\nrec_c.wav,\nrec_d.mp3,1\n');
});
