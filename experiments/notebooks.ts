/**
 * `npm run notebooks`: execute every notebooks/*.ipynb headless with the tslab kernel
 * (jupyter nbconvert --execute), writing executed, trusted copies (+ .html) to
 * artifacts/notebooks/; the committed notebooks are never touched. Exits 1 naming the notebook
 * and cell when a cell fails.
 * `npm run notebooks -- --strip`: remove outputs from the committed notebooks instead (before a commit).
 */
import { isAbsolute, join, relative } from 'node:path';
import { ARTIFACTS_DIR, REPO_ROOT, resolveDataDir } from '../lib/data/paths.ts';
import { writeFileAtomic } from '../lib/util/atomic.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';
import { formatNotebook, readNotebook, stripOutputs, unstrippedCells } from '../notebooks/harness/ipynb.ts';
import { listNotebooks, runNotebooks } from '../notebooks/harness/runner.ts';

const program = newCommand('notebooks', 'Execute notebooks/*.ipynb headless with the tslab kernel; fail on any cell error.')
  .addOption(dataOption())
  .addOption(outOption('folder for the executed copies (default: artifacts/notebooks)'))
  .option('--only <names...>', 'run only these notebooks (e.g. 01_explore_data)')
  .option('--timeout <seconds>', 'per-cell timeout', parsePositiveInt('--timeout'), 600)
  .option('--no-html', 'skip the standalone .html export of each executed notebook')
  .option('--strip', 'do not run: remove outputs and execution counts from notebooks/*.ipynb in place');

const shown = (path: string) => {
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

function stripCommitted(): void {
  for (const path of listNotebooks()) {
    const nb = readNotebook(path);
    const problems = unstrippedCells(nb);
    if (problems.length === 0) continue;
    writeFileAtomic(path, formatNotebook(stripOutputs(nb)));
    process.stderr.write(`stripped ${shown(path)} (${problems.length} fixes)\n`);
  }
}

await runMain(async () => {
  const opts = program.parse().opts<{ data?: string; out?: string; only?: string[]; timeout: number; html: boolean; strip?: boolean }>();
  if (opts.strip) return stripCommitted();
  const outDir = opts.out ?? join(ARTIFACTS_DIR, 'notebooks');
  const summary = await runNotebooks({
    dataDir: resolveDataDir(opts.data),
    outDir,
    only: opts.only,
    timeoutSec: opts.timeout,
    html: opts.html,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (summary.executed.length) process.stderr.write(`executed copies in ${shown(outDir)}/\n`);
  if (summary.failures.length) throw new Error(`${summary.failures.length} notebook(s) failed:\n\n${summary.failures.join('\n\n')}`);
});
