/**
 * Two rules of the layout (ARCHITECTURE.md) that reading code would otherwise have to keep:
 * - lib/report renders and reads no data: none of its modules reads files, except plotlyBundle.ts, which
 *   reads the plotly.js library it inlines (not data);
 * - lib/records and lib/data come before lib/report and import nothing from it;
 * - the stages import only earlier stages (audio → features → data → model → evaluate → detect → report →
 *   pipeline), with one exception named below;
 * - no function in lib/ is longer than 80 lines (split by job, ARCHITECTURE.md).
 * Tests and __fixtures__ are exempt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './data/paths.ts';

const LIB = join(REPO_ROOT, 'lib');
const READS = /\b(readFileSync|readFile|readdirSync|readdir|createReadStream|openSync|opendirSync)\s*\(/;
const READERS_ALLOWED = new Set(['lib/report/plotlyBundle.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' ? [] : sources(path);
    return e.name.endsWith('.ts') && !/\.(test|e2e)\.ts$/.test(e.name) ? [relative(REPO_ROOT, path)] : [];
  });
}

test('lib/report reads no files but the plotly bundle', () => {
  const readers = sources(join(LIB, 'report')).filter((f) => READS.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
  assert.ok(readers.includes('lib/report/plotlyBundle.ts'), 'the check sees reads');
  assert.deepEqual(readers.filter((f) => !READERS_ALLOWED.has(f)), []);
});

test('lib/records and lib/data import nothing from lib/report', () => {
  const offenders = [...sources(join(LIB, 'records')), ...sources(join(LIB, 'data'))].filter((f) => /from '(\.\.\/)+report\//.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
  assert.deepEqual(offenders, []);
});

const STAGES = ['audio', 'features', 'data', 'model', 'evaluate', 'detect', 'report', 'pipeline'];
/** Imports against the stage order, each with its reason. */
const LATER_STAGE_IMPORTS_ALLOWED = new Map([
  // the clip threshold is chosen on each fold's inner validation scores while training, with the same rule that
  // evaluation reports it by
  ['lib/model/crossValidate.ts → lib/evaluate/threshold.ts', 'threshold chosen during training'],
]);

/** Every import in lib/<stage> of a module in a later stage, as 'importer → imported'. */
function laterStageImports(): string[] {
  return STAGES.flatMap((stage, rank) =>
    sources(join(LIB, stage)).flatMap((file) =>
      [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/from '(\.[^']+)'/g)]
        .map((m) => relative(REPO_ROOT, join(REPO_ROOT, file, '..', m[1])))
        .filter((target) => STAGES.indexOf(target.split('/')[1]) > rank)
        .map((target) => `${file} → ${target}`),
    ),
  );
}

test('each stage of lib/ imports only the stages before it', () => {
  const found = laterStageImports();
  assert.ok(found.includes('lib/model/crossValidate.ts → lib/evaluate/threshold.ts'), 'the check sees imports');
  assert.deepEqual(found.filter((f) => !LATER_STAGE_IMPORTS_ALLOWED.has(f)), []);
});

const MAX_FUNCTION_LINES = 80;

/** Every function (declarations, methods, arrows, expressions) longer than `max` lines in `file`. */
function longFunctions(file: string, max: number): string[] {
  const src = ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node)) {
      const first = src.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = src.getLineAndCharacterOfPosition(node.end).line - first + 1;
      if (lines > max) found.push(`${file}:${first + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return found;
}

test(`no function in lib/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
  const files = sources(LIB);
  assert.ok(files.length > 100, `the check reads lib/ (${files.length} files)`);
  assert.ok(longFunctions('lib/layout.test.ts', 5).length > 0, 'the measure sees functions');
  assert.deepEqual(files.flatMap((f) => longFunctions(f, MAX_FUNCTION_LINES)), []);
});
