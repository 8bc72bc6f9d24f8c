/** Tools come from an environment variable or PATH, never a fixed install path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { allOnPath, findChromium, findPython, onPath } from './executables.ts';

function tool(dir: string, name: string, body: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

test('PATH lookup: executables only, in PATH order; Chromium and Python from their variable first', { skip: process.platform === 'win32' ? 'shell-script fakes' : undefined }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-path-'));
  try {
    const [a, b, c] = ['a', 'b', 'c'].map((d) => join(root, d));
    tool(a, 'python3', 'exit 1'); // a python without the modules (a pyenv shim, say)
    const good = tool(b, 'python3', 'exit 0');
    tool(c, 'chromium-browser', 'exit 0', 0o644); // not executable: not a candidate
    const chrome = tool(c, 'google-chrome', 'exit 0');
    const env = { PATH: [a, b, c].join(delimiter) };
    assert.deepEqual(allOnPath('python3', env), [join(a, 'python3'), good]);
    assert.equal(onPath('chromium-browser', env), null);
    assert.equal(findPython(['numpy'], env), good, 'the first python3 that imports the modules');
    assert.equal(findPython(['numpy'], { PATH: a }), null);
    assert.equal(findPython(['numpy'], { ...env, CAPUCHIN_PYTHON: '/opt/py/bin/python3' }), '/opt/py/bin/python3');
    assert.equal(findChromium(env), chrome);
    assert.equal(findChromium({ ...env, CHROMIUM: '/opt/chrome' }), '/opt/chrome');
    assert.equal(findChromium({ PATH: '' }), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
