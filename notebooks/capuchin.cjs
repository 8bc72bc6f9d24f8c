'use strict';
/**
 * Loads capuchin's ESM TypeScript (lib/) into a tslab kernel.
 *
 * tslab compiles every cell to CommonJS with its own TypeScript 5.0, so a cell can neither
 * `import { x } from '../lib/audio/index.ts'` (".ts" extension refused, and require() of ESM)
 * nor `await import(...)` (rewritten to require()). This file is plain CommonJS loaded with
 * `require('./capuchin.cjs')`, so its `import()` is a real ESM import; it registers tsx's ESM
 * loader once (the same loader `npm run` scripts use) and then imports any lib module by its
 * path from the repository root:
 *
 *   const { load } = require('./capuchin.cjs');
 *   const nb = await load('lib/notebook/display.ts');
 *
 * (tsx/esm/api's CommonJS build resolves its loader relative to the wrong folder, hence the
 * ESM import of it here.)
 */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO_ROOT = path.resolve(__dirname, '..');
let registered;

/** Import a module given by its path from the repository root, e.g. 'lib/data/index.ts'. */
function load(fromRepoRoot) {
  registered ??= import('tsx/esm/api').then((tsx) => {
    tsx.register();
  });
  const file = path.resolve(REPO_ROOT, fromRepoRoot);
  return registered.then(() => import(pathToFileURL(file).href));
}

module.exports = { load, REPO_ROOT };
