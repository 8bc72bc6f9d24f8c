/**
 * An experiment killed right after it saved its new model (before its report) must leave the previous
 * run's folder as it was: the old model with the old report, never the new model with the old report.
 * The next run starts over and replaces the set whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { readCompleteSet, stagingDir } from '../util/outputSet.ts';

const EXPERIMENT = join(REPO_ROOT, 'experiments/experiment.ts');
const args = (out: string) => ['demo', '--data', SAMPLE_DATA_DIR, '--out', out, '--no-count'];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('an experiment killed after saving its model keeps the previous model and report together', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-kill-experiment-'));
  try {
    const out = join(root, 'run');
    const first = spawnSync(process.execPath, ['--import', 'tsx', EXPERIMENT, ...args(out)], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr.slice(-2000));
    const before = readCompleteSet(out, 'test');
    const weights = sha(join(out, 'model', 'weights.bin'));
    const report = sha(join(out, 'report.html'));

    const saved = join(stagingDir(out), 'model', 'weights.bin');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', EXPERIMENT, ...args(out)], { cwd: REPO_ROOT, stdio: 'ignore' });
      const timer = setInterval(() => existsSync(saved) && child.kill('SIGKILL'), 5);
      child.on('exit', (code, signal) => {
        clearInterval(timer);
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`the experiment ended (code ${code}) before its model was seen in ${stagingDir(out)}`));
      });
    });
    assert.equal(readCompleteSet(out, 'test').runId, before.runId, 'the set was replaced by a killed run');
    assert.equal(sha(join(out, 'model', 'weights.bin')), weights, 'the model changed');
    assert.equal(sha(join(out, 'report.html')), report, 'the report changed');
    assert.ok(existsSync(saved), 'the killed run had saved its model (in its staging folder)');

    const again = spawnSync(process.execPath, ['--import', 'tsx', EXPERIMENT, ...args(out)], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr.slice(-2000));
    assert.notEqual(readCompleteSet(out, 'test').runId, before.runId);
    assert.ok(!existsSync(stagingDir(out)), 'the dead run’s staging folder is gone');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
