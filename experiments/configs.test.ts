/**
 * The README's experiment table and the configs agree: every config it names exists and loads, and every
 * experiments/configs/*.json is named there (a config nobody can find, or a row for one that was removed,
 * fails here).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/data/paths.ts';
import { loadExperimentConfig } from '../lib/model/experimentConfig.ts';

const CONFIG_DIR = join(REPO_ROOT, 'experiments', 'configs');
/** NAME arguments that are not config files. */
const NOT_CONFIGS = new Set(['all']);

/** The first cell of each row of the README's `| NAME | config … |` table, split at commas. */
function readmeConfigNames(readme: string): string[] {
  const start = readme.indexOf('| NAME | config');
  assert.ok(start >= 0, "README has the experiment table ('| NAME | config …')");
  const rows = readme.slice(start).split('\n').slice(2);
  const table = rows.slice(0, rows.findIndex((r) => !r.startsWith('|')));
  return table.flatMap((row) => [...row.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

test("README's experiment table names every config in experiments/configs/, and only those", () => {
  const named = readmeConfigNames(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
  assert.ok(named.includes('mel') && named.includes('field'), `the table was read: ${named.join(', ')}`);
  assert.deepEqual(named.filter((n) => !NOT_CONFIGS.has(n) && !files.includes(n)), [], 'README names configs that do not exist');
  assert.deepEqual(files.filter((f) => !named.includes(f)), [], 'configs the README does not name');
  for (const f of files) assert.equal(loadExperimentConfig(join(CONFIG_DIR, `${f}.json`)).name, f, `${f}.json loads and is named after its file`);
});
