// `npm test` without a POSIX shell: every *.test.ts under lib/, experiments/, notebooks/, deploy/ and tools/, in name
// order, one file at a time, through Node's test runner with tsx. Arguments go to the runner first
// (e.g. `npm test -- --test-name-pattern=raven`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? testFiles(path) : e.name.endsWith('.test.ts') ? [relative(root, path).split('\\').join('/')] : [];
  });
}

const files = ['lib', 'experiments', 'notebooks', 'deploy', 'tools'].flatMap((d) => testFiles(join(root, d))).sort();
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
