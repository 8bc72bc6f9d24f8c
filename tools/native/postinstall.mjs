// npm postinstall, on every platform npm runs on: build the optional native kernels (tools/native/build.sh)
// where they can be built — Linux with bash on PATH; build.sh itself checks g++, Node's headers and oneDNN —
// and otherwise say why and exit 0, so that `npm install` never fails on them. No shell is needed to run it.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function skip(why, fix) {
  console.error(`capuchin: native kernels not built (${why}); training stays on wasm.${fix ? ` To build them: ${fix}, then npm run build:native` : ''}`);
  process.exit(0);
}

if (process.env.CAPUCHIN_NATIVE === '0') skip('CAPUCHIN_NATIVE=0');
if (process.platform !== 'linux') skip(`only Linux builds are set up, this is ${process.platform}`);
// bash is looked up on PATH by spawnSync itself: ENOENT when there is none
const built = spawnSync('bash', [join(here, 'build.sh'), '--optional'], { stdio: 'inherit' });
if (built.error?.code === 'ENOENT') skip('no bash on PATH', 'install bash');
if (built.status !== 0) skip(`tools/native/build.sh ended with ${built.error?.message ?? `exit code ${built.status}`}`, 'see the output above');
