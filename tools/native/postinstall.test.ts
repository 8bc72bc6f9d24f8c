/**
 * The install step needs nothing but Node: with no bash on PATH (a Windows laptop, a minimal container),
 * `postinstall` says why the native kernels were not built and exits 0; with CAPUCHIN_NATIVE=0 it builds
 * nothing. Run as npm runs it, in a child process with that PATH.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lib/data/paths.ts';

const SCRIPT = join(REPO_ROOT, 'tools', 'native', 'postinstall.mjs');

test('postinstall without bash on PATH: says so and exits 0; CAPUCHIN_NATIVE=0 skips the build', () => {
  const bin = mkdtempSync(join(tmpdir(), 'capuchin-nobash-'));
  try {
    symlinkSync(process.execPath, join(bin, 'node'));
    const noBash = spawnSync(join(bin, 'node'), [SCRIPT], { env: { PATH: bin }, encoding: 'utf8' });
    assert.equal(noBash.status, 0, noBash.stderr);
    const expected = process.platform === 'linux' ? /native kernels not built \(no bash on PATH\); training stays on wasm\. To build them: install bash/ : /native kernels not built \(only Linux builds are set up/;
    assert.match(noBash.stderr, expected);
    const off = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, CAPUCHIN_NATIVE: '0' }, encoding: 'utf8' });
    assert.equal(off.status, 0, off.stderr);
    assert.match(off.stderr, /native kernels not built \(CAPUCHIN_NATIVE=0\)/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
