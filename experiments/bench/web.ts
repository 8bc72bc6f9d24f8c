/**
 * Bench suite: the browser counter (web/dist in headless Chromium, one worker, wasm) against the CLI's
 * `runCount` (one worker, in-process, second of two runs) on the same file in the same run, as seconds per
 * hour of audio; the page's clock starts after its model has loaded. The file is
 * the Forest Recordings joined into about an hour with ffmpeg -c copy (--quick: one recording).
 * Skipped with a note when no Chromium is found ($CHROMIUM, else PATH).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR } from '../../lib/data/paths.ts';
import { runCount } from '../../lib/pipeline/count.ts';
import { buildWeb } from '../../web/build.ts';
import { serveStatic } from '../../web/serve.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';
import { CHROMIUM_HINT, findChromium } from '../../lib/util/executables.ts';

const CHROMIUM = findChromium();

/** Resident memory (MB) of the Chromium processes below `root` (playwright starts them as our children), from /proc (Linux); NaN elsewhere. */
function browserRssMb(root: number): number {
  try {
    const children = new Map<number, number[]>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      } catch {
        // the process ended meanwhile
      }
    }
    let kb = 0;
    let found = 0;
    for (const stack = [...(children.get(root) ?? [])]; stack.length; ) {
      const pid = stack.pop()!;
      try {
        if (/chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) {
          kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
          found++;
        }
      } catch {
        // ended
      }
      stack.push(...(children.get(pid) ?? []));
    }
    return found ? kb / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** One file of about `targetSec` seconds: the recordings joined (repeated) without re-encoding, or the first one. */
function benchFile(ctx: BenchContext, folder: string, targetSec: number): string {
  const files = listAudioFiles(join(ctx.dataDir, FOREST_DIR)).filter((f) => f.endsWith('.mp3'));
  if (files.length === 0) throw new Error(`no mp3 recordings in ${join(ctx.dataDir, FOREST_DIR)}`);
  mkdirSync(folder, { recursive: true });
  const joined = join(folder, 'joined.mp3');
  if (!ctx.quick && spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0) {
    const list = join(ctx.tmpDir, 'web-concat.txt');
    const n = Math.max(1, Math.round(targetSec / 180));
    writeFileSync(list, Array.from({ length: n }, (_, i) => `file '${files[i % files.length].replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    if (spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]).status === 0) return joined;
  }
  const one = join(folder, basename(files[0]));
  symlinkSync(files[0], one);
  return one;
}

type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;

/** Count one file on a fresh page: wall seconds from the pick to done (model already loaded), the count, peak browser RSS. */
async function countInPage(browser: Browser, url: string, file: string): Promise<{ seconds: number; count: string | undefined; peakRssMb: number }> {
  const page = await browser.newPage();
  let peakRssMb = NaN;
  const sample = () => {
    const now = browserRssMb(process.pid);
    if (!Number.isNaN(now)) peakRssMb = Math.max(Number.isNaN(peakRssMb) ? 0 : peakRssMb, now);
  };
  const timer = setInterval(sample, 500);
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.model === 'ready', null, { timeout: 120_000 });
    const started = performance.now();
    await page.setInputFiles('#files', [file]);
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 1_800_000, polling: 250 });
    const seconds = (performance.now() - started) / 1000;
    sample();
    return { seconds, count: await page.$eval('#rows tr[data-recording]', (tr) => (tr as HTMLElement).dataset.count), peakRssMb };
  } finally {
    clearInterval(timer);
    await page.close();
  }
}

export const webBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const task = 'count one recording in the browser page (Chromium, tfjs wasm, one worker) vs the CLI (in-process)';
  if (!CHROMIUM) return [{ task, workload: '-', ours: { name: 'skipped', seconds: NaN }, reference: null, speedRatio: null, note: `no Chromium: ${CHROMIUM_HINT}` }];
  const folder = join(ctx.tmpDir, 'web-recording');
  const file = benchFile(ctx, folder, 3600);

  // The CLI twice, the second timed: the page's clock also starts with its model loaded.
  const countOnce = async () => {
    const t0 = performance.now();
    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: folder, outDir: join(ctx.tmpDir, 'web-cli-out'), concurrency: 1, review: false, log: () => {} });
    return { run, seconds: (performance.now() - t0) / 1000 };
  };
  await countOnce();
  const { run: cli, seconds: cliSec } = await countOnce();
  const audioSec = cli.results[0].scored?.durationSec ?? NaN;

  const dist = join(ctx.tmpDir, 'web-dist');
  await buildWeb({ outDir: dist, log: () => {} });
  const server = await serveStatic(dist);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const rows: BenchRow[] = [];
  try {
    const page = await countInPage(browser, server.url, file);
    const perHour = (sec: number) => (sec / audioSec) * 3600;
    rows.push({
      task,
      workload: `${basename(file)}, ${audioSec.toFixed(0)} s of audio`,
      ours: { name: 'web/dist page, wall from file pick to done', seconds: page.seconds, throughput: perHour(page.seconds), unit: 's per hour of audio' },
      reference: { name: 'capuchin count (CLI), in-process, the wasm threads it picks (2 on 2 cores)', seconds: cliSec, throughput: perHour(cliSec), unit: 's per hour of audio' },
      speedRatio: cliSec / page.seconds,
      note: `page and CLI counts ${page.count === String(cli.results[0].count) ? 'equal' : 'DIFFER'} (${page.count} vs ${cli.results[0].count}); peak browser RSS ${page.peakRssMb.toFixed(0)} MB`,
      extra: { pageSecondsPerHour: perHour(page.seconds), cliSecondsPerHour: perHour(cliSec), peakBrowserRssMb: page.peakRssMb },
    });
    if (!ctx.quick && basename(file) === 'joined.mp3') {
      // Memory must not grow with the recording: a 3-hour file in the page, peak RSS of the whole browser.
      const long = benchFile(ctx, join(ctx.tmpDir, 'web-long'), 3 * 3600);
      const three = await countInPage(browser, server.url, long);
      rows.push({
        task: 'count one 3-hour recording in the browser page (peak resident memory of the browser)',
        workload: `${basename(long)}: the recordings joined to 3 h, one worker`,
        ours: { name: 'web/dist page', seconds: three.seconds, throughput: (3 * 3600) / three.seconds, unit: '× real time' },
        reference: null,
        speedRatio: null,
        note: `peak RSS of all Chromium processes ${three.peakRssMb.toFixed(0)} MB (1 h file: ${page.peakRssMb.toFixed(0)} MB); ${three.count} calls`,
        extra: { peakBrowserRssMb: three.peakRssMb },
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
};
