/**
 * Bench suite: the review of a large run. Counts a synthetic folder of 1,000 links to a real recording
 * (the sample's 26 s forest excerpt; --quick: 100) with the review on, in a child process, and reports its
 * peak resident memory (target < 1 GB: the review is written per recording, so memory must not grow with
 * the run) and the size of the index; then opens review.html in headless chromium and times it until the
 * last recording's row is on the page (target < 2 s; median of 3 loads). No reference implementation
 * exists for either; the targets are the issue's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../../lib/data/paths.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';
import { findChromium } from '../../lib/util/executables.ts';

const CHROMIUM = findChromium();

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

export const reviewBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const n = ctx.quick ? 100 : 1000;
  const source = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
  const folder = join(ctx.tmpDir, 'review-recordings');
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < n; i++) symlinkSync(source, join(folder, `rec_${String(i).padStart(4, '0')}.mp3`));
  const outDir = join(ctx.tmpDir, 'review-out');
  const script = join(ctx.tmpDir, 'count-review.mts');
  writeFileSync(
    script,
    `import { runCount } from ${JSON.stringify(new URL('../../lib/pipeline/count.ts', import.meta.url).pathname)};
const t0 = performance.now();
const run = await runCount({ modelDir: ${JSON.stringify(DEFAULT_MODEL_DIR)}, recordingsDir: ${JSON.stringify(folder)}, outDir: ${JSON.stringify(outDir)}, log: () => {} });
const audioSec = run.results.reduce((s, r) => s + (r.scored?.durationSec ?? 0), 0);
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, seconds: (performance.now() - t0) / 1000, audioSec, calls: run.results.reduce((s, r) => s + (r.count ?? 0), 0) }) + '\\n');
process.exit(0);
`,
  );
  const res = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`counting ${n} recordings failed: ${res.stderr.slice(-2000)}`);
  const child = JSON.parse(res.stdout.trim().split('\n').pop()!) as { maxRssKb: number; seconds: number; audioSec: number; calls: number };
  const rssMb = child.maxRssKb / 1024;
  const indexBytes = statSync(join(outDir, 'review.html')).size;
  const reviewBytes = dirBytes(join(outDir, 'review')) + indexBytes;
  const rows: BenchRow[] = [
    {
      task: `count ${n} recordings with the review written (peak resident memory of the whole run)`,
      workload: `${n} links to the 26 s sample excerpt, ${child.audioSec.toFixed(0)} s of audio, ${child.calls} calls, 2 workers`,
      ours: { name: 'capuchin count', seconds: child.seconds, throughput: child.audioSec / child.seconds, unit: '× real time' },
      reference: null,
      speedRatio: null,
      note: `peak RSS ${rssMb.toFixed(0)} MB (target < 1024 MB); review.html ${(indexBytes / 1e3).toFixed(0)} kB, review/ in all ${(reviewBytes / 1e6).toFixed(1)} MB`,
      extra: { peakRssMb: rssMb, indexBytes, reviewBytes },
    },
  ];

  // the other audio choice, measured on 20 of the links: clips of each call written beside the pages
  const clipsDir = join(ctx.tmpDir, 'review-clips-recordings');
  mkdirSync(clipsDir, { recursive: true });
  for (let i = 0; i < 20; i++) symlinkSync(source, join(clipsDir, `rec_${String(i).padStart(4, '0')}.mp3`));
  const { runCount } = await import('../../lib/pipeline/count.ts');
  const t1 = performance.now();
  const clipRun = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: clipsDir, outDir: join(ctx.tmpDir, 'review-clips-out'), reviewAudio: 'clips', activity: false, log: () => {} });
  const clipSec = (performance.now() - t1) / 1000;
  const clipCalls = clipRun.results.reduce((s, r) => s + (r.count ?? 0), 0);
  const clipBytes = dirBytes(join(ctx.tmpDir, 'review-clips-out', 'review', 'clips'));
  rows.push({
    task: "the review's audio: 'source' (links to the original files, the default) vs 'clips' (a WAV per call)",
    workload: `20 links to the excerpt, ${clipCalls} calls, --review-audio clips`,
    ours: { name: "count --review-audio clips", seconds: clipSec },
    reference: null,
    speedRatio: null,
    note: `clips: ${(clipBytes / Math.max(1, clipCalls) / 1e3).toFixed(0)} kB per call (${(clipBytes / 1e6).toFixed(1)} MB for ${clipCalls}); source: 0 bytes copied, the page needs the recordings at the same relative path`,
    extra: { clipBytesPerCall: clipBytes / Math.max(1, clipCalls) },
  });

  if (CHROMIUM) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const url = pathToFileURL(join(outDir, 'review.html')).href;
      const last = `rec_${String(n - 1).padStart(4, '0')}.mp3`;
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const page = await browser.newPage();
        const t0 = performance.now();
        await page.goto(url);
        await page.waitForFunction(() => document.body.dataset.ready === 'index', undefined, { timeout: 60_000 });
        times.push((performance.now() - t0) / 1000);
        // and the last row is really there
        if (!(await page.locator('#recordings tbody tr').last().innerText()).includes(last)) throw new Error(`the index does not list ${last}`);
        await page.close();
      }
      times.sort((a, b) => a - b);
      rows.push({
        task: `open the review index of ${n} recordings in headless chromium (until the table of every recording is rendered)`,
        workload: `review.html, ${(indexBytes / 1e3).toFixed(0)} kB, from file://`,
        ours: { name: 'review.html', seconds: times[1] },
        reference: null,
        speedRatio: null,
        note: `median of 3 loads ${times[1].toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(', ')}; target < 2 s)`,
        extra: { openSeconds: times[1] },
      });
    } finally {
      await browser.close();
    }
  }
  return rows;
};
