/**
 * Browser test of the notebooks, as a new user runs them: start JupyterLab 4 from the venv of
 * notebooks/setup-jupyterlab.sh on localhost with a token, open each notebooks/*.ipynb in headless
 * Chromium (playwright-core, the system's Chromium: $CHROMIUM, else on PATH; never a download), Run All Cells, wait
 * for the kernel to go idle, and check that
 *   - the venv's JupyterLab offers only the tslab (TypeScript) kernel, and the notebook runs in it;
 *   - every code cell ran, no cell replied with an error or shows an error output;
 *   - no cell has stderr output (JupyterLab draws it as a red box that reads as an error: progress
 *     lines go through a display update instead, see lib/notebook/display.ts);
 *   - every plotly figure was drawn (.js-plotly-plot) with traces;
 * and keep a full-page screenshot of each notebook in artifacts/notebooks/screens/<name>.png.
 * Autosave is off in the test's own JupyterLab settings; the committed notebooks stay as they are.
 *
 * Run: node --import tsx --test notebooks/harness/browser.e2e.ts   (≈2 min; not in npm test)
 * CAPUCHIN_BROWSER_NOTEBOOKS=01_explore_data,04_count_forest runs only those.
 * Skips with a message when chromium or the venv's JupyterLab is missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHROMIUM_HINT, findChromium } from '../../lib/util/executables.ts';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, REPO_ROOT, resolveDataDir } from '../../lib/data/paths.ts';
import { writeFileAtomic } from '../../lib/util/atomic.ts';
import { notebookName } from './ipynb.ts';
import { findLab, TSLAB_KERNEL } from './jupyter.ts';
import { listNotebooks, NOTEBOOKS_DIR } from './runner.ts';
import { startLabServer, type LabServer } from './server.ts';

const CHROMIUM = findChromium();
export const SCREENS_DIR = join(ARTIFACTS_DIR, 'notebooks', 'screens');
const RUN_TIMEOUT_MS = 240_000;
/** A laptop-sized window: JupyterLab with its file browser open leaves the notebook ~1000 px. */
const VIEWPORT = { width: Number(process.env.CAPUCHIN_BROWSER_WIDTH ?? 1280), height: 800 };
/** Chromium draws at most this tall a page in one screenshot. */
const MAX_SCREENSHOT_HEIGHT = 30_000;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const only = process.env.CAPUCHIN_BROWSER_NOTEBOOKS?.split(',').map((s) => s.trim()).filter(Boolean);
const notebooks = listNotebooks().filter((p) => !only || only.includes(notebookName(p)));

function skipReason(): string | undefined {
  if (!CHROMIUM) return `no Chromium: ${CHROMIUM_HINT}`;
  const lab = findLab();
  if ('missing' in lab) return lab.missing;
  if (notebooks.length === 0) return `no notebook in notebooks/ matches CAPUCHIN_BROWSER_NOTEBOOKS=${process.env.CAPUCHIN_BROWSER_NOTEBOOKS}`;
  return undefined;
}

interface LabReport {
  kernel: string;
  kernelDisplayName: string;
  replies: string[];
  codeCells: number;
  /** Code cell numbers (1-based among code cells) left without an execution count. */
  unexecuted: number[];
  errorOutputs: string[];
  /** Code cell number → its stderr text. */
  stderrByCell: Record<number, string>;
  /** Red stderr boxes in the page. */
  stderrBoxes: number;
  dialogs: string[];
  figures: number;
  drawn: number;
  /** Figures drawn without a single trace, by their title. */
  emptyFigures: string[];
  unloaded: number;
}

const reason = skipReason();

describe('notebooks in JupyterLab 4 (Chromium)', { skip: reason }, () => {
  let server: LabServer;
  let browser: Browser;

  before(async () => {
    const lab = findLab();
    if ('missing' in lab) throw new Error(lab.missing);
    const { chromium } = await import('playwright-core');
    server = await startLabServer(REPO_ROOT, { jupyter: lab.command, env: { CAPUCHIN_DATA: resolveDataDir() } });
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
    mkdirSync(SCREENS_DIR, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the venv\'s JupyterLab offers only the TypeScript (tslab) kernel, as its default', async () => {
    const specs = (await server.api('/api/kernelspecs')) as { default: string; kernelspecs: Record<string, { spec: { display_name: string } }> };
    assert.deepEqual(Object.keys(specs.kernelspecs), [TSLAB_KERNEL], 'kernels offered (bash notebooks/setup-jupyterlab.sh registers tslab alone)');
    assert.equal(specs.default, TSLAB_KERNEL);
    assert.equal(specs.kernelspecs[TSLAB_KERNEL]!.spec.display_name, 'TypeScript');
  });

  for (const file of notebooks) {
    const rel = relative(REPO_ROOT, file);
    const name = notebookName(file);
    test(`${rel}: Run All in JupyterLab, no error or stderr box, plotly figures drawn; screenshot`, { timeout: RUN_TIMEOUT_MS + 120_000 }, async () => {
      const committed = readFileSync(file);
      const checkpoints = join(NOTEBOOKS_DIR, '.ipynb_checkpoints');
      const hadCheckpoints = existsSync(checkpoints);
      const page = await browser.newPage({ viewport: VIEWPORT });
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      let report: LabReport | undefined;
      try {
        // ?reset: a fresh workspace, so the notebook of the previous test is not reopened.
        await page.goto(`${server.notebookUrl(rel)}&reset`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(
          (path) => {
            const panel = (window as any).jupyterapp?.shell?.currentWidget;
            return panel?.context?.path === path && panel.sessionContext?.session?.kernel?.status === 'idle' && panel.content?.model?.cells?.length > 0;
          },
          rel,
          { timeout: 120_000, polling: 250 },
        );

        // Record every execute_reply (tslab reports a failed cell as status 'error' plus stderr text), then Run All.
        await page.evaluate(async () => {
          const w = window as any;
          const panel = w.jupyterapp.shell.currentWidget;
          w.__capuchinReplies = [];
          panel.sessionContext.session.kernel.anyMessage.connect((_: unknown, args: any) => {
            if (args.direction === 'recv' && args.msg.header.msg_type === 'execute_reply') w.__capuchinReplies.push(args.msg.content.status);
          });
          await w.jupyterapp.commands.execute('notebook:run-all-cells');
        });

        // Done when every non-empty code cell has replied, or one failed (Run All stops there).
        await page.waitForFunction(
          () => {
            const w = window as any;
            const panel = w.jupyterapp.shell.currentWidget;
            const cells = Array.from(panel.content.model.cells as Iterable<any>).filter((c) => c.type === 'code' && c.sharedModel.getSource().trim());
            const replies = w.__capuchinReplies as string[];
            const idle = panel.sessionContext.session?.kernel?.status === 'idle';
            return idle && (replies.length >= cells.length || replies.some((r) => r !== 'ok'));
          },
          undefined,
          { timeout: RUN_TIMEOUT_MS, polling: 500 },
        );
        // Figures draw asynchronously (each waits for its div and window.Plotly).
        await page
          .waitForFunction(() => Array.from(document.querySelectorAll('.jp-NotebookPanel .capuchin-plot')).every((el) => el.classList.contains('js-plotly-plot')), undefined, { timeout: 30_000 })
          .catch(() => undefined);

        report = await page.evaluate((): LabReport => {
          const w = window as any;
          const panel = w.jupyterapp.shell.currentWidget;
          const stderrByCell: Record<number, string> = {};
          const unexecuted: number[] = [];
          const errorOutputs: string[] = [];
          let codeNumber = 0;
          for (const cell of panel.content.model.cells as Iterable<any>) {
            if (cell.type !== 'code') continue;
            codeNumber++;
            if (cell.sharedModel.getSource().trim() && cell.executionCount == null) unexecuted.push(codeNumber);
            for (let i = 0; i < cell.outputs.length; i++) {
              const out = cell.outputs.get(i).toJSON();
              const text = Array.isArray(out.text) ? out.text.join('') : out.text;
              if (out.output_type === 'error') errorOutputs.push(`code cell ${codeNumber}: ${out.ename}: ${out.evalue}`);
              if (out.output_type === 'stream' && out.name === 'stderr') stderrByCell[codeNumber] = (stderrByCell[codeNumber] ?? '') + text;
            }
          }
          const node: HTMLElement = panel.node;
          const plots = Array.from(node.querySelectorAll('.capuchin-plot')) as HTMLElement[];
          const drawn = plots.filter((el) => el.classList.contains('js-plotly-plot'));
          const kernel = panel.sessionContext.session?.kernel;
          return {
            kernel: kernel?.name ?? '',
            kernelDisplayName: panel.sessionContext.kernelDisplayName,
            replies: w.__capuchinReplies,
            codeCells: codeNumber,
            unexecuted,
            errorOutputs,
            stderrByCell,
            stderrBoxes: node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
            dialogs: Array.from(document.querySelectorAll('.jp-Dialog')).map((d) => (d as HTMLElement).innerText.slice(0, 200)),
            figures: plots.length,
            drawn: drawn.length,
            emptyFigures: drawn
              .filter((el) => el.querySelectorAll('g.trace, g.hm').length === 0)
              .map((el) => el.querySelector('.gtitle')?.textContent ?? el.id),
            unloaded: plots.filter((el) => /plotly\.js is not loaded/.test(el.textContent ?? '')).length,
          };
        });

        await fullPageScreenshot(page, join(SCREENS_DIR, `${name}.png`));
      } catch (err) {
        (err as Error).message += `\n--- jupyter log ---\n${server.log()}`;
        throw err;
      } finally {
        // Stop this notebook's kernel and close the page without saving.
        await page.evaluate(() => (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.shutdown?.()).catch(() => undefined);
        await page.close();
        if (!readFileSync(file).equals(committed)) {
          writeFileAtomic(file, committed);
          assert.fail(`${rel} was saved by the JupyterLab session (restored); autosave should be off`);
        }
        if (!hadCheckpoints) rmSync(checkpoints, { recursive: true, force: true });
      }

      assert.ok(report, "no report from the page");
      const detail = Object.entries(report.stderrByCell).map(([n, text]) => `code cell ${n} stderr:\n${text}`).join('\n');
      assert.equal(report.kernel, TSLAB_KERNEL, `JupyterLab started the ${report.kernelDisplayName} kernel`);
      assert.deepEqual(report.dialogs, [], 'a dialog is open (kernel selection?)');
      assert.deepEqual(report.replies.filter((r) => r !== 'ok'), [], `cells failed in JupyterLab:\n${detail}`);
      assert.deepEqual(report.errorOutputs, [], 'an output shows an error');
      assert.deepEqual(report.unexecuted, [], 'code cells left without an execution count');
      assert.equal(report.stderrBoxes, 0, `stderr output (red boxes) in JupyterLab:\n${detail}`);
      assert.ok(report.figures > 0, 'no plotly figure in the notebook');
      assert.equal(report.unloaded, 0, 'figures that found no plotly.js');
      assert.equal(report.drawn, report.figures, `only ${report.drawn} of ${report.figures} plotly figures were drawn; page errors: ${pageErrors.join('; ')}`);
      assert.deepEqual(report.emptyFigures, [], 'plotly figures drawn without traces');
    });
  }
});

/**
 * JupyterLab scrolls the notebook inside its own panel, so a full-page screenshot alone shows one
 * window of it: grow the window until the notebook fits (up to MAX_SCREENSHOT_HEIGHT), shoot, and
 * put the window back.
 */
async function fullPageScreenshot(page: import('playwright-core').Page, path: string): Promise<void> {
  const extra = await page.evaluate(() => {
    const outer = (window as any).jupyterapp.shell.currentWidget.node.querySelector('.jp-WindowedPanel-outer') as HTMLElement | null;
    if (!outer) return 0;
    outer.scrollTop = 0;
    return outer.scrollHeight - outer.clientHeight;
  });
  const size = page.viewportSize() ?? VIEWPORT;
  await page.setViewportSize({ width: size.width, height: Math.min(MAX_SCREENSHOT_HEIGHT, size.height + Math.max(0, extra) + 40) });
  await page.waitForTimeout(1500); // JupyterLab relayouts, plotly redraws responsive figures
  await page.screenshot({ path, fullPage: true });
  await page.setViewportSize(size);
}
