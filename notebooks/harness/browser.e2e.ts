/**
 * Browser test of the notebooks, as a person would use them: start Jupyter Notebook on
 * localhost with a token, open notebooks/01_explore_data.ipynb in headless Chromium
 * (playwright-core, the system /usr/bin/chromium, never a download), run all cells, and check
 * that every cell ran without error and a plotly figure drew traces. The server is stopped after.
 *
 * Run: node --import tsx --test notebooks/harness/browser.e2e.ts   (≈1 min; not in npm test)
 * Skips with a message when chromium or jupyter-notebook is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, resolveDataDir } from '../../lib/data/paths.ts';
import { writeFileAtomic } from '../../lib/util/atomic.ts';
import { ensureTslabKernel, findJupyter } from './jupyter.ts';
import { startNotebookServer } from './server.ts';

const CHROMIUM = '/usr/bin/chromium';
const NOTEBOOK = process.env.CAPUCHIN_BROWSER_NOTEBOOK ?? 'notebooks/01_explore_data.ipynb';
const RUN_TIMEOUT_MS = 240_000;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found (apt-get install chromium)`;
  const jupyter = findJupyter('notebook');
  if ('missing' in jupyter) return jupyter.missing;
  if (!existsSync(join(REPO_ROOT, NOTEBOOK))) return `${NOTEBOOK} does not exist`;
  return undefined;
}

interface Reply {
  index: number;
  status: string;
  ename?: string;
  evalue?: string;
}

interface PageReport {
  replies: Reply[];
  codeCells: number;
  unexecuted: number[];
  errorOutputs: string[];
  stderrByCell: Record<number, string>;
  figures: number;
  traces: number;
}

const reason = skipReason();

test(`${NOTEBOOK} runs in Jupyter Notebook in Chromium and draws plotly figures`, { skip: reason, timeout: RUN_TIMEOUT_MS + 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  ensureTslabKernel();
  const notebookFile = join(REPO_ROOT, NOTEBOOK);
  const committed = readFileSync(notebookFile);
  const checkpoints = join(REPO_ROOT, NOTEBOOK, '..', '.ipynb_checkpoints');
  const hadCheckpoints = existsSync(checkpoints);
  let modified = false;

  const server = await startNotebookServer(REPO_ROOT, { CAPUCHIN_DATA: resolveDataDir() });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(server.notebookUrl(NOTEBOOK), { waitUntil: 'domcontentloaded' });

    // Kernel connected; then no autosave (the committed file must stay as it is) and a hook that
    // records every execute_reply (tslab reports errors as status 'error' plus stderr text).
    await page.waitForFunction(
      () => {
        const nb = (window as any).Jupyter?.notebook;
        return Boolean(nb?.kernel?.is_connected?.() && nb.kernel.info_reply?.language_info);
      },
      undefined,
      { timeout: 90_000 },
    );
    await page.evaluate(() => {
      const w = window as any;
      const nb = w.Jupyter.notebook;
      nb.set_autosave_interval(0);
      w.__capuchinReplies = [];
      const codeCell = nb.get_cells().find((c: any) => c.cell_type === 'code');
      const proto = Object.getPrototypeOf(codeCell);
      const original = proto._handle_execute_reply;
      proto._handle_execute_reply = function (this: any, msg: any) {
        w.__capuchinReplies.push({
          index: nb.find_cell_index(this),
          status: msg.content.status,
          ename: msg.content.ename,
          evalue: msg.content.evalue,
        });
        return original.call(this, msg);
      };
      nb.execute_all_cells();
    });

    // Done when every non-empty code cell has replied, or a cell failed (Run All stops there).
    await page.waitForFunction(
      () => {
        const w = window as any;
        const cells = w.Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === 'code' && c.get_text().trim());
        const replies = w.__capuchinReplies as { status: string }[];
        const idle = document.querySelector('#kernel_indicator_icon')?.classList.contains('kernel_idle_icon');
        return idle && (replies.length >= cells.length || replies.some((r) => r.status !== 'ok'));
      },
      undefined,
      { timeout: RUN_TIMEOUT_MS, polling: 500 },
    );
    // Figures draw asynchronously (they wait for their div and window.Plotly).
    const anyFailed = await page.evaluate(() => ((window as any).__capuchinReplies as { status: string }[]).some((r) => r.status !== 'ok'));
    if (!anyFailed) await page.waitForSelector('.output_area svg.main-svg', { timeout: 30_000 }).catch(() => undefined);

    const report: PageReport = await page.evaluate(() => {
      const w = window as any;
      const cells = w.Jupyter.notebook.get_cells();
      const stderrByCell: Record<number, string> = {};
      const unexecuted: number[] = [];
      cells.forEach((c: any, i: number) => {
        if (c.cell_type !== 'code') return;
        const text = Array.from(c.element[0].querySelectorAll('.output_stderr') as NodeListOf<HTMLElement>).map((e) => e.innerText).join('\n');
        if (text) stderrByCell[i] = text;
        if (c.get_text().trim() && typeof c.input_prompt_number !== 'number') unexecuted.push(i);
      });
      return {
        replies: w.__capuchinReplies,
        codeCells: cells.filter((c: any) => c.cell_type === 'code').length,
        unexecuted,
        errorOutputs: Array.from(document.querySelectorAll('.output_area .output_error') as NodeListOf<HTMLElement>).map((e) => e.innerText),
        stderrByCell,
        figures: document.querySelectorAll('.output_area svg.main-svg').length,
        traces: document.querySelectorAll('.output_area svg.main-svg g.trace, .output_area svg.main-svg g.hm').length,
      };
    });

    // CAPUCHIN_BROWSER_SCREENSHOT=file.png keeps a full-page picture of the run (for looking at it).
    if (process.env.CAPUCHIN_BROWSER_SCREENSHOT) {
      // The classic notebook scrolls inside #site; let the page grow instead so fullPage sees every cell.
      await page.addStyleTag({ content: 'html, body, #site { height: auto !important; overflow: visible !important; }' });
      await page.screenshot({ path: process.env.CAPUCHIN_BROWSER_SCREENSHOT, fullPage: true });
    }

    const failed = report.replies.filter((r) => r.status !== 'ok');
    const detail = failed.map((r) => `cell ${r.index}: ${r.status} ${r.ename ?? ''} ${r.evalue ?? ''}\n${report.stderrByCell[r.index] ?? ''}`).join('\n');
    assert.deepEqual(failed, [], `cells failed in the browser:\n${detail}`);
    assert.deepEqual(report.errorOutputs, [], 'an output area shows an error');
    assert.deepEqual(report.unexecuted, [], 'cells left without an execution count');
    assert.ok(report.figures > 0, `no plotly figure (svg.main-svg) rendered; page errors: ${pageErrors.join('; ')}`);
    assert.ok(report.traces > 0, 'plotly figures rendered without traces');
  } catch (err) {
    (err as Error).message += `\n--- jupyter log ---\n${server.log()}`;
    throw err;
  } finally {
    await browser.close();
    await server.stop();
    // Leave the committed notebook exactly as it was.
    modified = !readFileSync(notebookFile).equals(committed);
    if (modified) writeFileAtomic(notebookFile, committed);
    if (!hadCheckpoints) rmSync(checkpoints, { recursive: true, force: true });
  }
  assert.equal(modified, false, `${NOTEBOOK} was saved by the browser session (restored); autosave should be off`);
});
