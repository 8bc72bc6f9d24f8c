// npm postinstall, on every platform npm runs on: build the optional native kernels (tools/native/build.sh)
// where they can be built — Linux with bash on PATH; build.sh itself checks g++, Node's headers and oneDNN —
// and otherwise say why and exit 0, so that `npm install` never fails on them. No shell is needed to run it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The first executable called `name` on PATH, or null. */
export function onPath(name, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return null;
}

function skip(why, fix) {
  console.error(`capuchin: native kernels not built (${why}); training stays on wasm.${fix ? ` To build them: ${fix}, then npm run build:native` : ''}`);
  process.exit(0);
}

if (process.env.CAPUCHIN_NATIVE === '0') skip('CAPUCHIN_NATIVE=0');
if (process.platform !== 'linux') skip(`only Linux builds are set up, this is ${process.platform}`);
const bash = onPath('bash');
if (!bash) skip('no bash on PATH', 'install bash');
const built = spawnSync(bash, [join(here, 'build.sh'), '--optional'], { stdio: 'inherit' });
if (built.status !== 0) skip(`tools/native/build.sh ended with ${built.error?.message ?? `exit code ${built.status}`}`, 'see the output above');
