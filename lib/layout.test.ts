/**
 * Two rules of the layout (ARCHITECTURE.md) that reading code would otherwise have to keep:
 * - lib/report renders and reads no data: none of its modules reads files, except plotlyBundle.ts, which
 *   reads the plotly.js library it inlines (not data);
 * - lib/records and lib/data come before lib/report and import nothing from it;
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
