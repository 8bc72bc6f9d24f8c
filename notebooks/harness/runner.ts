/** Runs a list of notebooks one after the other with nbconvert and reports per notebook and cell. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../lib/data/paths.ts';
import { codeCellCount, codeCellNumber, notebookName, readNotebook } from './ipynb.ts';
import { ensureTslabKernel, executeNotebook, exportHtml, findJupyter, trustNotebooks, type ExecuteResult } from './jupyter.ts';

export const NOTEBOOKS_DIR = join(REPO_ROOT, 'notebooks');
/** The issue's budget for one notebook on the embedded sample. */
export const BUDGET_SEC = 180;

/** Notebooks `npm run notebooks` skips, with the reason (run them with --only). */
export const NOT_RUN: Readonly<Record<string, string>> = {};

/** notebooks/*.ipynb, sorted by name. */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** "notebooks/x.ipynb: code cell 3 (cell index 5, starting "...") failed:\n<error text>". */
export function describeFailure(path: string, result: ExecuteResult): string {
  const name = relative(REPO_ROOT, path);
  if (!result.failure) return `${name}: nbconvert failed\n${result.log}`;
  const nb = readNotebook(path);
  const { cell_index, source, ename, evalue, outputs } = result.failure;
  const firstLine = source.split('\n').find((l) => l.trim())?.trim() ?? '';
  const error = [ename && `${ename}: ${evalue}`, ...outputs].filter(Boolean).join('\n').trim();
  return `${name}: code cell ${codeCellNumber(nb, cell_index)} (cell index ${cell_index}, starting "${firstLine}") failed:\n${error}`;
}

export interface RunOptions {
  dataDir: string;
  outDir: string;
  /** Notebook names to run (default: all but NOT_RUN). */
  only?: string[];
  timeoutSec: number;
  html: boolean;
  log: (line: string) => void;
}

export interface RunSummary {
  executed: string[];
  failures: string[];
  seconds: Record<string, number>;
}

export async function runNotebooks(options: RunOptions): Promise<RunSummary> {
  const { log } = options;
  const tool = findJupyter('nbconvert');
  if ('missing' in tool) throw new Error(tool.missing);
  log(ensureTslabKernel());
  log(`data: ${options.dataDir}`);

  const all = listNotebooks();
  const unknown = (options.only ?? []).filter((n) => !all.some((p) => notebookName(p) === n));
  if (unknown.length) throw new Error(`--only: no notebook named ${unknown.join(', ')} in notebooks/ (have ${all.map(notebookName).join(', ')})`);

  const summary: RunSummary = { executed: [], failures: [], seconds: {} };
  for (const path of all) {
    const name = notebookName(path);
    if (options.only ? !options.only.includes(name) : NOT_RUN[name]) {
      if (!options.only) log(`skip ${name}: ${NOT_RUN[name]}`);
      continue;
    }
    const nb = readNotebook(path);
    const total = codeCellCount(nb);
    log(`run  ${name} (${total} code cells)`);
    const result = await executeNotebook(path, options.outDir, name, {
      timeoutSec: options.timeoutSec,
      env: { CAPUCHIN_DATA: options.dataDir },
      onCell: (index, status, seconds) => {
        if (nb.cells[index]?.cell_type === 'code') log(`     cell ${codeCellNumber(nb, index)}/${total} ${status} ${seconds.toFixed(1)} s`);
      },
    });
    summary.seconds[name] = result.seconds;
    const over = result.seconds > BUDGET_SEC ? ` (over the ${BUDGET_SEC} s budget)` : '';
    log(`${result.ok ? 'ok  ' : 'FAIL'} ${name} ${result.seconds.toFixed(1)} s${over}`);
    if (!result.ok) {
      summary.failures.push(describeFailure(path, result));
      continue;
    }
    const copy = join(options.outDir, `${name}.ipynb`);
    trustNotebooks([copy]);
    if (options.html) exportHtml(copy);
    summary.executed.push(copy);
  }
  return summary;
}
