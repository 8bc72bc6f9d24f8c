import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../lib/data/paths.ts';
import { codeCellNumber, formatNotebook, notebookName, parseNotebook, readNotebook, sourceText, stripOutputs, unstrippedCells, type Notebook } from './ipynb.ts';
import { ensureTslabKernel, executeNotebook, findJupyter } from './jupyter.ts';
import { describeFailure, listNotebooks, NOT_RUN, NOTEBOOKS_DIR } from './runner.ts';

const notebooks = listNotebooks();

function notebookOf(cells: { type: 'code' | 'markdown'; source: string }[]): Notebook {
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      cells: cells.map((c, i) =>
        c.type === 'code'
          ? { cell_type: 'code', id: `c${i}`, source: c.source, metadata: {}, outputs: [], execution_count: null }
          : { cell_type: 'markdown', id: `c${i}`, source: c.source, metadata: {} },
      ),
    }),
    'generated.ipynb',
  );
}

test('the four issue notebooks are committed, and every one the runner skips says why', () => {
  const names = notebooks.map((p) => basename(p, '.ipynb'));
  for (const name of ['01_explore_data', '02_features', '03_train_evaluate', '04_count_forest']) assert.ok(names.includes(name), `notebooks/${name}.ipynb is missing`);
  for (const [name, why] of Object.entries(NOT_RUN)) {
    assert.ok(names.includes(name), `NOT_RUN names ${name}, which does not exist`);
    assert.ok(why.length > 10);
  }
});

test('committed notebooks are stripped, use the tslab kernel and load lib/ through capuchin.cjs', () => {
  for (const path of notebooks) {
    const nb = readNotebook(path);
    assert.deepEqual(unstrippedCells(nb), [], `${path} carries outputs: run npm run notebooks -- --strip`);
    assert.equal((nb.metadata.kernelspec as { name?: string } | undefined)?.name, 'tslab', `${path}: kernel`);
    const code = nb.cells.filter((c) => c.cell_type === 'code').map(sourceText);
    assert.match(code[0] ?? '', /require\('\.\/capuchin\.cjs'\)/, `${path}: the first code cell sets up the loader`);
    // tslab cannot import ESM TypeScript statically: every lib module goes through load().
    for (const src of code) assert.doesNotMatch(src, /^\s*import .* from ['"]\.\.\/lib/m, `${path}: static import of lib/`);
  }
});

/** `const x = await load('lib/…')` and `const { a, b: c } = await load('lib/…')` in a notebook's code. */
const LOAD = /\bconst\s+(?:([A-Za-z_$][\w$]*)|\{([^}]*)\})\s*=\s*await\s+load\(\s*'([^']+)'\s*\)/g;

test('every lib module a notebook loads exists and exports each name the notebook uses from it', async () => {
  // tsc does not check the notebooks: a renamed or removed export would only show when a notebook runs (minutes).
  let checked = 0;
  for (const path of notebooks) {
    // without // comments, whose prose names files such as report.html
    const code = readNotebook(path).cells.filter((c) => c.cell_type === 'code').map(sourceText).join('\n').replace(/(^|\s)\/\/.*$/gm, '$1');
    const loads = [...code.matchAll(LOAD)];
    assert.ok(loads.some((m) => m[3] === 'lib/notebook/display.ts'), `${path}: loads the display helpers`);
    for (const [, alias, names, modulePath] of loads) {
      assert.ok(existsSync(join(REPO_ROOT, modulePath!)), `${path}: load('${modulePath}'): no such file`);
      const used = alias
        ? // alias.member, not inside a longer name, a path (…/report.html) or a file name (get-more-data.sh)
          [...new Set([...code.matchAll(new RegExp(`(?<![\\w$./-])${alias.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g'))].map((m) => m[1]!))]
        : names!.split(',').map((n) => n.trim().split(/\s*:\s*/)[0]!).filter(Boolean);
      assert.ok(used.length > 0, `${path}: loads ${modulePath} as ${alias ?? `{${names}}`} and uses nothing from it`);
      const exported = await import(pathToFileURL(join(REPO_ROOT, modulePath!)).href);
      const missing = used.filter((name) => !(name in exported));
      assert.deepEqual(missing, [], `${path}: ${modulePath} does not export ${missing.join(', ')}`);
      checked += used.length;
    }
  }
  assert.ok(checked > 50, `only ${checked} names checked: the load pattern no longer matches the notebooks`);
});

test('notebooks/README.md lists exactly the committed notebooks, and each writes only under its own artifacts folder', () => {
  const readme = readFileSync(join(NOTEBOOKS_DIR, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([\w-]+)\.ipynb` \|/gm)].map((m) => m[1]);
  assert.deepEqual(listed, notebooks.map(notebookName), 'the README table, in file order');
  for (const path of notebooks) {
    const code = readNotebook(path).cells.filter((c) => c.cell_type === 'code').map(sourceText).join('\n');
    for (const m of code.matchAll(/ARTIFACTS_DIR\}\/notebooks\/([^/`'"\s]+)/g)) {
      assert.equal(m[1], notebookName(path), `${path}: writes into another notebook's folder artifacts/notebooks/${m[1]}`);
    }
  }
});

test('stripOutputs removes outputs, counts and timing metadata but keeps sources and markdown', () => {
  const nb = notebookOf([
    { type: 'markdown', source: '# title' },
    { type: 'code', source: 'console.log(1)' },
  ]);
  const executed: Notebook = {
    ...nb,
    cells: nb.cells.map((c) =>
      c.cell_type === 'code'
        ? { ...c, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }], metadata: { execution: { 'iopub.status.idle': 'x' }, tags: ['keep'] } }
        : c,
    ),
  };
  assert.equal(unstrippedCells(executed).length, 3);
  const stripped = stripOutputs(executed);
  assert.deepEqual(unstrippedCells(stripped), []);
  assert.deepEqual(stripped.cells.map(sourceText), ['# title', 'console.log(1)']);
  assert.deepEqual(stripped.cells[1]!.metadata, { tags: ['keep'] });
  assert.deepEqual(stripped.cells[0], executed.cells[0]);
  const text = formatNotebook(stripped);
  assert.ok(text.endsWith('}\n') && text.includes('\n "cells": ['), 'nbformat style: sorted keys, one-space indent');
  assert.deepEqual(parseNotebook(text, 'x'), stripped);
});

test('parseNotebook names the file and the bad field', () => {
  assert.throws(() => parseNotebook('{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "cells": []}', 'old.ipynb'), /old\.ipynb: not a Jupyter notebook: nbformat: /);
  assert.throws(() => parseNotebook('{', 'broken.ipynb'), /broken\.ipynb: not valid JSON/);
});

test('describeFailure counts code cells the way Jupyter shows them', () => {
  const path = notebooks.find((p) => p.endsWith('01_explore_data.ipynb'))!;
  const nb = readNotebook(path);
  const index = nb.cells.findIndex((c, i) => c.cell_type === 'code' && codeCellNumber(nb, i) === 2);
  const message = describeFailure(path, {
    ok: false,
    seconds: 1,
    log: '',
    failure: { cell_index: index, source: sourceText(nb.cells[index]!), ename: '', evalue: '', outputs: ['Error: planted'] },
  });
  assert.match(message, /^notebooks\/01_explore_data\.ipynb: code cell 2 \(cell index \d+, starting "/);
  assert.ok(message.endsWith('failed:\nError: planted'));
});

test('capuchin.cjs imports lib/ ESM TypeScript by its path from the repository root', async () => {
  const { load, REPO_ROOT: root } = createRequire(import.meta.url)('../capuchin.cjs');
  assert.equal(root, REPO_ROOT);
  const paths = await load('lib/data/paths.ts');
  assert.equal(paths.REPO_ROOT, REPO_ROOT);
});

const jupyter = findJupyter('nbconvert');
test(
  'executeNotebook runs cells in the tslab kernel and reports the failing cell with its error text',
  { skip: 'missing' in jupyter ? jupyter.missing : undefined, timeout: 120_000 },
  async () => {
    ensureTslabKernel();
    const dir = mkdtempSync(join(tmpdir(), 'capuchin-nbtest-'));
    try {
      const input = join(dir, 'planted.ipynb');
      writeFileSync(
        input,
        formatNotebook(
          notebookOf([
            { type: 'markdown', source: 'a failing notebook' },
            { type: 'code', source: 'const x: number = 6 * 7;\nconsole.log(`x=${x} data=${process.env.CAPUCHIN_DATA}`);' },
            { type: 'code', source: 'throw new Error(`planted failure ${x} in ${process.env.CAPUCHIN_DATA}`);' },
            { type: 'code', source: 'console.log("never runs");' },
          ]),
        ),
      );
      const cells: [number, string][] = [];
      const result = await executeNotebook(input, join(dir, 'out'), 'planted', {
        timeoutSec: 60,
        env: { CAPUCHIN_DATA: '/planted/data' },
        onCell: (i, status) => cells.push([i, status]),
      });
      assert.equal(result.ok, false);
      assert.deepEqual(cells, [[1, 'ok'], [2, 'error']]);
      assert.equal(result.failure?.cell_index, 2);
      assert.match(result.failure!.outputs.join('\n'), /Error: planted failure 42 in \/planted\/data/, 'the error text, with CAPUCHIN_DATA passed to the kernel');
      assert.match(result.failure!.source, /^throw new Error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
