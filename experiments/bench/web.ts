/**
 * Bench suite: the browser counter (web/dist in headless Chromium, one worker, wasm) against the CLI's
 * `runCount` (one worker, in-process, second of two runs) on the same file in the same run, as seconds per
 * hour of audio; the page's clock starts after its model has loaded. The file is
 * the Forest Recordings joined into about an hour with ffmpeg -c copy (--quick: one recording).
 * Skipped with a note when /usr/bin/chromium is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR } from '../../lib/data/paths.ts';
import { runCount } from '../../lib/pipeline/count.ts';
import { buildWeb } from '../../web/build.ts';
import { serveStatic } from '../../web/serve.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

const CHROMIUM = '/usr/bin/chromium';

/** One file of about `targetSec` seconds: the recordings joined without re-encoding, or the first one. */
function benchFile(ctx: BenchContext, folder: string, targetSec: number): string {
  const files = listAudioFiles(join(ctx.dataDir, FOREST_DIR)).filter((f) => f.endsWith('.mp3'));
  if (files.length === 0) throw new Error(`no mp3 recordings in ${join(ctx.dataDir, FOREST_DIR)}`);
  mkdirSync(folder, { recursive: true });
  const joined = join(folder, 'joined.mp3');
  if (!ctx.quick && spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0) {
    const list = join(ctx.tmpDir, 'web-concat.txt');
    const n = Math.max(1, Math.min(files.length, Math.round(targetSec / 180)));
    writeFileSync(list, files.slice(0, n).map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    if (spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]).status === 0) return joined;
  }
  const one = join(folder, basename(files[0]));
  symlinkSync(files[0], one);
  return one;
}

export const webBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const task = 'count one recording in the browser page (Chromium, tfjs wasm, one worker) vs the CLI (in-process)';
  if (!existsSync(CHROMIUM)) return [{ task, workload: '-', ours: { name: 'skipped', seconds: NaN }, reference: null, speedRatio: null, note: `${CHROMIUM} not found (apt-get install chromium)` }];
  const folder = join(ctx.tmpDir, 'web-recording');
  const file = benchFile(ctx, folder, 3600);

  // The CLI twice, the second timed: the page's time starts with its model already loaded too.
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
  let pageSec = NaN;
  let pageCount: string | undefined;
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.model === 'ready', null, { timeout: 120_000 });
    const started = performance.now();
    await page.setInputFiles('#files', [file]);
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 1_800_000, polling: 250 });
    pageSec = (performance.now() - started) / 1000;
    pageCount = await page.$eval('#rows tr[data-recording]', (tr) => (tr as HTMLElement).dataset.count);
  } finally {
    await browser.close();
    await server.close();
  }
  const perHour = (sec: number) => (sec / audioSec) * 3600;
  const same = pageCount === String(cli.results[0].count);
  return [
    {
      task,
      workload: `${basename(file)}, ${audioSec.toFixed(0)} s of audio`,
      ours: { name: 'web/dist page, wall from file pick to done', seconds: pageSec, throughput: perHour(pageSec), unit: 's per hour of audio' },
      reference: { name: 'capuchin count (CLI), in-process, the wasm threads it picks (2 on 2 cores)', seconds: cliSec, throughput: perHour(cliSec), unit: 's per hour of audio' },
      speedRatio: cliSec / pageSec,
      note: `page and CLI counts ${same ? 'equal' : 'DIFFER'} (${pageCount} vs ${cli.results[0].count})`,
      extra: { pageSecondsPerHour: perHour(pageSec), cliSecondsPerHour: perHour(cliSec) },
    },
  ];
};
