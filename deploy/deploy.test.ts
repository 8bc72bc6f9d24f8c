/**
 * The cluster recipes, run locally: deploy/slurm/count-array.sh once per array index with
 * SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT set (as Slurm would), then deploy/slurm/merge.sh; the
 * merged set must be complete and equal a single `count` run of the same folder, file for file. The
 * Kubernetes Job must shard the same way (completions = its SHARDS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavBytes } from '../lib/audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../lib/audio/load.ts';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../lib/data/paths.ts';
import { readCompleteSet } from '../lib/util/outputSet.ts';

const SET_FILES = ['results.csv', 'detections.csv', 'errors.csv', 'warnings.csv', 'detector_config.json'];

test('the Slurm array recipe, run for every index, then merged, equals a single count run', { timeout: 400_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-deploy-'));
  try {
    const recordings = join(root, 'recordings');
    mkdirSync(recordings);
    copyFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'), join(recordings, 'recording_46_excerpt.mp3'));
    const excerpt = await loadAudio(join(recordings, 'recording_46_excerpt.mp3'));
    for (let k = 0; k < 4; k++) writeFileSync(join(recordings, `site_a_${k}.wav`), wavBytes([excerpt.samples.subarray(k * 16000 * 4)], 16000));
    writeFileSync(join(recordings, 'broken.wav'), 'not audio'); // one shard gets a failed file: the task still succeeds
    const out = join(root, 'run');
    const n = 3;
    const env = { ...process.env, CAPUCHIN_RECORDINGS: recordings, CAPUCHIN_OUT: out, CAPUCHIN_REPO: REPO_ROOT, SLURM_ARRAY_TASK_COUNT: String(n), SLURM_CPUS_PER_TASK: '1' };
    for (let i = 0; i < n; i++) {
      const task = spawnSync('bash', [join(REPO_ROOT, 'deploy/slurm/count-array.sh')], { env: { ...env, SLURM_ARRAY_TASK_ID: String(i) }, encoding: 'utf8', cwd: root });
      assert.equal(task.status, 0, `task ${i}: ${task.stderr.slice(-2000)}`);
    }
    assert.deepEqual(readdirSync(out).sort(), ['shard-0-of-3', 'shard-1-of-3', 'shard-2-of-3']);
    const merge = spawnSync('bash', [join(REPO_ROOT, 'deploy/slurm/merge.sh')], { env, encoding: 'utf8', cwd: root });
    assert.equal(merge.status, 0, merge.stderr.slice(-2000));
    readCompleteSet(join(out, 'merged'), 'test');

    const single = spawnSync('npm', ['run', '--silent', 'count', '--', '--data', recordings, '--out', join(root, 'single'), '--workers', '1', '--no-review'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(single.status, 3, single.stderr.slice(-2000)); // broken.wav
    for (const f of SET_FILES) assert.equal(readFileSync(join(out, 'merged', f), 'utf8'), readFileSync(join(root, 'single', f), 'utf8'), `${f} differs from a single run`);
    const raven = (dir: string) => readdirSync(join(dir, 'raven')).sort().map((f) => [f, readFileSync(join(dir, 'raven', f), 'utf8')]);
    assert.deepEqual(raven(join(out, 'merged')), raven(join(root, 'single')));
    assert.match(readFileSync(join(out, 'merged', 'results.csv'), 'utf8'), /^broken\.wav,$/m);

    const missing = spawnSync('bash', [join(REPO_ROOT, 'deploy/slurm/count-array.sh')], { env: { ...env, SLURM_ARRAY_TASK_ID: '' }, encoding: 'utf8', cwd: root });
    assert.notEqual(missing.status, 0, 'outside an array task the script refuses to run');
    assert.match(missing.stderr, /SLURM_ARRAY_TASK_ID/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the Kubernetes Indexed Job shards like the Slurm recipe: completions equal its SHARDS', () => {
  const job = readFileSync(join(REPO_ROOT, 'deploy/k8s/count-job.yaml'), 'utf8');
  const completions = Number(/^\s*completions:\s*(\d+)/m.exec(job)?.[1]);
  const shards = Number(/name: SHARDS\s*\n\s*value: "(\d+)"/.exec(job)?.[1]);
  assert.ok(completions > 0 && completions === shards, `completions ${completions}, SHARDS ${shards}`);
  assert.match(job, /completionMode: Indexed/);
  assert.match(job, /--shard "\$i\/\$SHARDS" --out "\$out"/);
  assert.match(readFileSync(join(REPO_ROOT, 'deploy/k8s/merge-job.yaml'), 'utf8'), /merge -- --out \/data\/run\/merged --folder \/data\/recordings \/data\/run\/shard-\*-of-\*/);
});
