/**
 * A disk that fills up mid-count: `npm run count` stops with one line naming the folder, the space left and the fix
 * (exit 1, no stack trace), keeps what it finished, and `--resume` after space is freed gives the outputs of an
 * uninterrupted run. On a real small file system (a tmpfs, where this process may mount one), else with writes
 * into the output folder failing with ENOSPC past a byte budget (__fixtures__/fullDisk.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { tempDir } from '../util/__fixtures__/tempDir.ts';
import { stagingDir } from '../util/outputSet.ts';

const COUNT = join(REPO_ROOT, 'experiments/count.ts');
const FULL_DISK = join(REPO_ROOT, 'lib/pipeline/__fixtures__/fullDisk.mjs');
const OUTPUTS = ['results.csv', 'detections.csv', 'errors.csv', 'warnings.csv', 'detector_config.json'];
const N = 8;

function count(args: string[], fullDisk?: string): { status: number | null; stderr: string } {
  const preload = fullDisk ? ['--import', FULL_DISK] : [];
  const env = fullDisk ? { ...process.env, CAPUCHIN_TEST_FULL_DISK: fullDisk } : process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...preload, COUNT, ...args, '--workers', '1'], { encoding: 'utf8', cwd: REPO_ROOT, env, timeout: 240_000 });
  return { status: r.status, stderr: r.stderr };
}

const mount = (args: string[]) => spawnSync('mount', args, { stdio: 'ignore' }).status === 0;

test('a count that fills its disk says so in one line, keeps its work, and --resume finishes it as if nothing happened', { timeout: 300_000 }, () => {
  const root = tempDir('capuchin-full-');
  const recordings = join(root, 'in');
  mkdirSync(recordings);
  for (let k = 0; k < N; k++) copyFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'), join(recordings, `rec_${k}.mp3`));
  const reference = join(root, 'reference');
  assert.equal(count(['--data', recordings, '--out', reference]).status, 0);

  const disk = join(root, 'disk');
  mkdirSync(disk);
  // 100 KB holds the journal of a file or two, not the whole run (about 200 KB)
  const tmpfs = mount(['-t', 'tmpfs', '-o', 'size=100k', 'tmpfs', disk]);
  const out = join(disk, 'out');
  try {
    const full = count(['--data', recordings, '--out', out], tmpfs ? undefined : `${disk}:100000`);
    assert.equal(full.status, 1, full.stderr.slice(-2000));
    const last = full.stderr.trim().split('\n').at(-1)!;
    assert.match(last, new RegExp(`^error: the disk is full while writing into ${disk}/\\S+ \\(ENOSPC, [\\d.]+ (bytes|KB|MB|GB|TB) free\\)\\. Fix: free space there \\(or write elsewhere with --out\\), then run the same command with --resume`));
    assert.doesNotMatch(full.stderr, /^\s+at /m, 'no stack trace');
    const done = join(stagingDir(out), 'journal', 'done.jsonl');
    assert.ok(existsSync(done), 'the staged work is kept');
    const finished = readFileSync(done, 'utf8').split('\n').filter((l) => l.endsWith('}')).length;

    // space freed: a bigger file system, or no more failing writes
    if (tmpfs) assert.ok(mount(['-o', 'remount,size=16m', disk]), 'remount the tmpfs bigger');
    const resumed = count(['--data', recordings, '--out', out, '--resume']);
    assert.equal(resumed.status, 0, resumed.stderr.slice(-2000));
    assert.match(resumed.stderr, new RegExp(`resuming: ${finished} of ${N} file\\(s\\) already counted`));
    for (const f of OUTPUTS) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(reference, f), 'utf8'), `${f} differs from an uninterrupted run`);
  } finally {
    if (tmpfs) spawnSync('umount', [disk]);
  }
});
