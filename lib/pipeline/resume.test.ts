/**
 * Kill tests: `npm run count` killed with SIGKILL at several points (before its first file is done,
 * after one, after all but one) must leave the previous output set intact and byte-identical, and
 * `--resume` must finish the run without counting a journaled file again, with the same outputs as an
 * uninterrupted run. A resume with another detector is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavBytes } from '../audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../audio/load.ts';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { readCompleteSet, stagingDir } from '../util/outputSet.ts';

const COUNT = join(REPO_ROOT, 'experiments/count.ts');
const OUTPUTS = ['results.csv', 'detections.csv', 'errors.csv', 'warnings.csv', 'detector_config.json'];

function countSync(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', COUNT, ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 240_000 });
  return { status: r.status, stderr: r.stderr };
}

/** Start count and SIGKILL it once `ready()` holds (polled every 10 ms); resolves when it has died. */
function countKilledWhen(args: string[], ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', COUNT, ...args], { cwd: REPO_ROOT, stdio: 'ignore' });
    const timer = setInterval(() => {
      if (ready()) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`count ended (code ${code}) before it could be killed`));
    });
  });
}

const journaled = (out: string) => {
  const path = join(stagingDir(out), 'journal', 'done.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
};

test('a count killed at several points keeps the previous set, and --resume completes it without recounting', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-kill-'));
  try {
    // six recordings of real forest audio (the sample excerpt, shifted), a second or two of work each
    const folder = join(root, 'recordings');
    mkdirSync(folder);
    const excerpt = await loadAudio(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
    const n = 6;
    for (let k = 0; k < n; k++) {
      const shift = k * 16000;
      const tiled = new Float32Array(excerpt.samples.length * 3);
      for (let i = 0; i < tiled.length; i++) tiled[i] = excerpt.samples[(i + shift) % excerpt.samples.length];
      writeFileSync(join(folder, `rec_${k}.wav`), wavBytes([tiled], 16000));
    }
    const reference = join(root, 'reference');
    assert.equal(countSync(['--data', folder, '--out', reference, '--workers', '1']).status, 0);
    const want = Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(reference, f), 'utf8')]));

    const out = join(root, 'out');
    assert.equal(countSync(['--data', folder, '--out', out, '--workers', '1', '--hop', '1']).status, 0); // the previous set: other settings
    const previous = readCompleteSet(out, 'test');
    let previousResults = readFileSync(join(out, 'results.csv'), 'utf8');

    for (const [point, ready] of [
      ['before any file is done', () => existsSync(join(stagingDir(out), 'journal', 'header.json'))],
      ['after one file', () => journaled(out) >= 1],
      [`after ${n - 1} files`, () => journaled(out) >= n - 1],
    ] as const) {
      rmSync(stagingDir(out), { recursive: true, force: true });
      await countKilledWhen(['--data', folder, '--out', out, '--workers', '1'], ready);
      assert.equal(readCompleteSet(out, 'test').runId, previous.runId, `${point}: the previous set was replaced or torn`);
      assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), previousResults, point);
      const finished = journaled(out);

      const again = countSync(['--data', folder, '--out', out, '--workers', '1']);
      assert.equal(again.status, 1, `${point}: a plain rerun must not throw the finished files away`);
      assert.match(again.stderr, /did not finish.*Fix: pass --resume/);
      const other = countSync(['--data', folder, '--out', out, '--workers', '1', '--resume', '--hop', '1']);
      assert.equal(other.status, 1, other.stderr);
      assert.match(other.stderr, /used a different model or detector/);

      const resumed = countSync(['--data', folder, '--out', out, '--workers', '1', '--resume']);
      assert.equal(resumed.status, 0, resumed.stderr.slice(-2000));
      assert.match(resumed.stderr, new RegExp(`resuming: ${finished} of ${n} file\\(s\\) already counted`), point);
      const counting = [...resumed.stderr.matchAll(/counting (\d+)\/(\d+)/g)];
      if (finished < n) assert.equal(Number(counting.at(-1)![2]), n - finished, `${point}: only the unfinished files are counted`);
      for (const f of OUTPUTS) assert.equal(readFileSync(join(out, f), 'utf8'), want[f], `${point}: ${f} differs from an uninterrupted run`);
      assert.ok(!existsSync(stagingDir(out)), 'the staging folder is gone after the resume');
      assert.ok(!readCompleteSet(out, 'test').files.some((f) => f.path.startsWith('journal')), 'the journal is not part of the set');
      // the next kill starts from a complete set again (this one)
      previous.runId = readCompleteSet(out, 'test').runId;
      previousResults = readFileSync(join(out, 'results.csv'), 'utf8');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
