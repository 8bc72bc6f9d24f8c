/**
 * The committed wasm kernels are what their C source builds to: tools/wasm/build.sh rebuilds them into a temp
 * folder, and each generated file must equal the committed one byte for byte. Runs where bash, clang and wasm-ld
 * are on PATH and clang is the version the committed files name (another clang may emit other, equally valid
 * bytes); skips otherwise, saying why. (minimp3 is left out: its build fetches the package from npm.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lib/data/paths.ts';
import { onPath } from '../../lib/util/executables.ts';

const GENERATED = ['lib/audio/resampleWasm.ts', 'lib/features/fftPairWasm.ts', 'lib/features/pcenWasm.ts'];

function skipReason(): string | null {
  const missing = ['bash', 'clang', 'wasm-ld'].filter((tool) => !onPath(tool));
  if (missing.length) return `needs ${missing.join(', ')} on PATH (Debian: apt-get install clang lld)`;
  const have = spawnSync('clang', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const built = /Built by (.*)\.\n/.exec(readFileSync(join(REPO_ROOT, GENERATED[0]), 'utf8'))?.[1];
  return have === built ? null : `the committed kernels were built by "${built}", this machine has "${have}"`;
}

const reason = skipReason();
test('tools/wasm/build.sh kernels rebuilds the committed modules byte for byte', { skip: reason ?? false }, () => {
  const out = mkdtempSync(join(tmpdir(), 'capuchin-wasm-'));
  try {
    const run = spawnSync('bash', [join(REPO_ROOT, 'tools', 'wasm', 'build.sh'), 'kernels'], { env: { ...process.env, CAPUCHIN_WASM_OUT: out }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    for (const file of GENERATED) assert.equal(readFileSync(join(out, file), 'utf8'), readFileSync(join(REPO_ROOT, file), 'utf8'), `${file} differs from what tools/wasm/kernels builds: run bash tools/wasm/build.sh kernels`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
