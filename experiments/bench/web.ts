/**
 * Bench suite: the browser counter (web/dist in headless Chromium, one worker, wasm) against the CLI's
 * `runCount` (one worker, in-process, after an untimed run) on the same file in the same run, as seconds per
 * hour of audio, three timed runs of each interleaved and their medians compared; the page's clock starts after
 * its model has loaded. The file is
 * the Forest Recordings joined into about an hour with ffmpeg -c copy (--quick: one recording).
 * Two rows measure what the page's code is built around, in a worker of the same Chromium: a fresh typed array
 * per chunk against one reused (the decoder, resampler, feature streams and audioPort reuse theirs), and reading
 * the File by slices against its stream (blobSource).
 * Skipped with a note when no Chromium is found ($CHROMIUM, else PATH).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR } from '../../lib/data/paths.ts';
import { median } from '../../lib/model/backend/stepTiming.ts';
import { runCount } from '../../lib/pipeline/count.ts';
import { buildWeb } from '../../web/build.ts';
import { serveStatic } from '../../web/serve.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';
import { childrenCpuSec, countSuiteCpu, descendantPids, processCpuSec, readProc } from './load.ts';
import { CHROMIUM_HINT, findChromium } from '../../lib/util/executables.ts';

const CHROMIUM = findChromium();
/** Timed runs of the page and of the CLI (interleaved; --quick: one). */
const RUNS = 3;

/** The Chromium processes below `root` (playwright starts them as our children). */
const browserPids = (root: number) => descendantPids(root).filter((pid) => /chrom/i.test(readProc(pid, 'comm') ?? ''));

/**
 * CPU seconds (user + system, their threads included) of every browser process seen so far, at its last sample:
 * the renderers are killed with their pages and the browser, never reaped as our children, so the suite's load
 * (bench/load.ts) counts them through countSuiteCpu. Sampled with the memory, every 500 ms while a page counts.
 */
const browserCpu = new Map<number, number>();
function sampleBrowserCpu(pids: number[]): void {
  for (const pid of pids) browserCpu.set(pid, Math.max(browserCpu.get(pid) ?? 0, processCpuSec(pid)));
}

/** Resident memory (MB) of the browser processes `pids`, from /proc (Linux); NaN elsewhere. */
function browserRssMb(pids: number[]): number {
  let kb = 0;
  let found = 0;
  for (const pid of pids) {
    const status = readProc(pid, 'status');
    if (status === null) continue; // ended
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    found++;
  }
  return found ? kb / 1024 : NaN;
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

/** A worker's script: `fresh` fresh arrays of `mb` MB filled from one source, against as many fills of one reused array (ms). */
const ALLOCATION_WORKER = `onmessage = (e) => {
  const { mb, times } = e.data;
  const n = (mb * 1e6) / 4;
  const src = new Float32Array(n).fill(0.5);
  const reused = new Float32Array(n);
  let keep = 0;
  let t = performance.now();
  for (let k = 0; k < times; k++) { reused.set(src); keep += reused[k]; }
  const reuse = performance.now() - t;
  t = performance.now();
  for (let k = 0; k < times; k++) { const fresh = new Float32Array(n); fresh.set(src); keep += fresh[k]; }
  postMessage({ reuse, fresh: performance.now() - t, keep });
};`;

/** A worker's script: the File read in order by 256 KB slices (each asked for its arrayBuffer), and through its stream (ms). */
const READING_WORKER = `onmessage = async (e) => {
  const file = e.data;
  let t = performance.now();
  let keep = 0;
  for (let p = 0; p < file.size; p += 262144) keep += new Uint8Array(await file.slice(p, p + 262144).arrayBuffer())[0];
  const slices = performance.now() - t;
  t = performance.now();
  const reader = file.stream().getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(1 << 20);
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(buffer));
    if (done) break;
    keep += value[0];
    buffer = value.buffer;
  }
  postMessage({ slices, stream: performance.now() - t, keep });
};`;

/** Run `script` in a worker of `page` with `message` (a File where `fileInput` is given); its reply. */
async function inWorker<T>(page: Awaited<ReturnType<Browser['newPage']>>, script: string, message: unknown, file?: string): Promise<T> {
  if (file) {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-file';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-file', [file]);
  }
  return page.evaluate(
    ([source, msg, withFile]) =>
      new Promise<T>((resolve, reject) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source as string], { type: 'text/javascript' })));
        worker.onmessage = (e) => (resolve(e.data as T), worker.terminate());
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage(withFile ? (document.getElementById('bench-file') as HTMLInputElement).files![0] : msg);
      }),
    [script, message, Boolean(file)] as const,
  );
}

/** The allocation and reading rows, on a page of the served dist (its model loaded first, so its workers are idle). */
async function browserRows(browser: Browser, url: string, file: string): Promise<BenchRow[]> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.model === 'ready', null, { timeout: 120_000 });
    const mb = 4;
    const times = 100;
    const alloc = await inWorker<{ reuse: number; fresh: number }>(page, ALLOCATION_WORKER, { mb, times });
    const nodeAlloc = (() => {
      const n = (mb * 1e6) / 4;
      const src = new Float32Array(n).fill(0.5);
      let keep = 0;
      const t = performance.now();
      for (let k = 0; k < times; k++) {
        const fresh = new Float32Array(n);
        fresh.set(src);
        keep += fresh[k];
      }
      return { fresh: performance.now() - t, keep };
    })();
    const read = await inWorker<{ slices: number; stream: number }>(page, READING_WORKER, null, file);
    sampleBrowserCpu(browserPids(process.pid));
    const sizeMb = statSync(file).size / 1e6;
    return [
      {
        task: 'a chunk buffer in a Chromium worker: one reused vs a fresh typed array each time',
        workload: `${times} × ${mb} MB filled from one source`,
        ours: { name: 'one Float32Array reused (what the page\'s decoder, resampler, feature streams and audioPort do)', seconds: alloc.reuse / 1000, throughput: (times * mb) / (alloc.reuse / 1000), unit: 'MB/s' },
        reference: { name: 'a fresh Float32Array each time (page faults on every page)', seconds: alloc.fresh / 1000, throughput: (times * mb) / (alloc.fresh / 1000), unit: 'MB/s' },
        speedRatio: alloc.fresh / alloc.reuse,
        note: `fresh arrays: ${((alloc.fresh / times / mb)).toFixed(2)} ms per MB in Chromium, ${(nodeAlloc.fresh / times / mb).toFixed(2)} ms per MB in Node (same loop, this process)`,
        extra: { chromiumFreshMsPerMb: alloc.fresh / times / mb, nodeFreshMsPerMb: nodeAlloc.fresh / times / mb },
      },
      {
        task: 'read a File in a Chromium worker: its stream (blobSource) vs slices',
        workload: `${basename(file)}, ${sizeMb.toFixed(0)} MB`,
        ours: { name: 'File.stream(), a BYOB reader into one 1 MB buffer', seconds: read.stream / 1000, throughput: sizeMb / (read.stream / 1000), unit: 'MB/s' },
        reference: { name: 'File.slice(256 KB).arrayBuffer() in order (blobSource before)', seconds: read.slices / 1000, throughput: sizeMb / (read.slices / 1000), unit: 'MB/s' },
        speedRatio: read.slices / read.stream,
      },
    ];
  } finally {
    await page.close();
  }
}

type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;

/** Count one file on a fresh page: seconds from the pick to done (model already loaded; timed in the page), the count, peak browser RSS. */
async function countInPage(browser: Browser, url: string, file: string): Promise<{ seconds: number; count: string | undefined; peakRssMb: number }> {
  const page = await browser.newPage();
  let peakRssMb = NaN;
  const sample = () => {
    const pids = browserPids(process.pid); // one walk of /proc for both
    sampleBrowserCpu(pids);
    const now = browserRssMb(pids);
    if (!Number.isNaN(now)) peakRssMb = Math.max(Number.isNaN(peakRssMb) ? 0 : peakRssMb, now);
  };
  const timer = setInterval(sample, 500);
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.model === 'ready', null, { timeout: 120_000 });
    // Timed inside the page, from the file input's change event (the pick) to the moment the page says done: the
    // CDP round trips of setInputFiles and the polling below are the harness's, and the CLI's clock has none.
    await page.evaluate(() => {
      const marks: { picked?: number; done?: number } = {};
      (window as unknown as { benchMarks: typeof marks }).benchMarks = marks;
      document.getElementById('files')!.addEventListener('change', () => (marks.picked ??= performance.now()), { capture: true });
      new MutationObserver(() => {
        if (document.body.dataset.state === 'done') marks.done ??= performance.now();
      }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.setInputFiles('#files', [file]);
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 1_800_000, polling: 100 });
    const marks = await page.evaluate(() => (window as unknown as { benchMarks: { picked: number; done: number } }).benchMarks);
    const seconds = (marks.done - marks.picked) / 1000;
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

  // The CLI once untimed first: the page's clock also starts with its model loaded.
  const countOnce = async () => {
    const t0 = performance.now();
    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: folder, outDir: join(ctx.tmpDir, 'web-cli-out'), concurrency: 1, review: false, log: () => {} });
    return { run, seconds: (performance.now() - t0) / 1000 };
  };
  const { run: cli } = await countOnce();
  const audioSec = cli.results[0].scored?.durationSec ?? NaN;

  const dist = join(ctx.tmpDir, 'web-dist');
  await buildWeb({ outDir: dist, log: () => {} });
  const server = await serveStatic(dist);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const rows: BenchRow[] = [];
  try {
    // Both move by up to a fifth between runs on a shared machine: three of each, interleaved, medians compared.
    const cliRuns: number[] = [];
    const pageRuns: Awaited<ReturnType<typeof countInPage>>[] = [];
    const runs = ctx.quick ? 1 : RUNS;
    for (let r = 0; r < runs; r++) {
      cliRuns.push((await countOnce()).seconds);
      pageRuns.push(await countInPage(browser, server.url, file));
    }
    const cliSec = median(cliRuns);
    const pageSec = median(pageRuns.map((p) => p.seconds));
    const page = pageRuns[0];
    const sameCounts = pageRuns.every((p) => p.count === String(cli.results[0].count));
    const perHour = (sec: number) => (sec / audioSec) * 3600;
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    rows.push({
      task,
      workload: `${basename(file)}, ${audioSec.toFixed(0)} s of audio, ${runs} run(s) of each, interleaved (medians)`,
      ours: { name: 'web/dist page, from file pick to done (timed in the page)', seconds: pageSec, throughput: perHour(pageSec), unit: 's per hour of audio' },
      reference: { name: 'capuchin count (CLI), in-process, the wasm threads it picks (2 on 2 cores)', seconds: cliSec, throughput: perHour(cliSec), unit: 's per hour of audio' },
      speedRatio: cliSec / pageSec,
      target: 0.9, // issue 31
      note: `page ${list(pageRuns.map((p) => p.seconds))} s, CLI ${list(cliRuns)} s; page and CLI counts ${sameCounts ? 'equal' : 'DIFFER'} (${pageRuns.map((p) => p.count).join(', ')} vs ${cli.results[0].count}); peak browser RSS ${Math.max(...pageRuns.map((p) => p.peakRssMb)).toFixed(0)} MB`,
      extra: { pageSecondsPerHour: perHour(pageSec), cliSecondsPerHour: perHour(cliSec), peakBrowserRssMb: page.peakRssMb },
    });
    rows.push(...(await browserRows(browser, server.url, file)));
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
    sampleBrowserCpu(browserPids(process.pid));
    const reaped = childrenCpuSec();
    await browser.close();
    // what the kernel did not hand back as our reaped children's time (the renderers, killed, not waited for)
    countSuiteCpu([...browserCpu.values()].reduce((a, b) => a + b, 0) - (childrenCpuSec() - reaped));
    browserCpu.clear();
    await server.close();
  }
  return rows;
};
