/**
 * Bench suite: counting calls in the Forest Recordings (decode + resample + features + model +
 * events, both cores through worker_threads) next to ffmpeg only DECODING the same files on one
 * core per file, two files at a time, in the same run; the same count with every window scored on
 * its own (no screening) and whether the counts agree; the same count with every mp3 sample decoded (no half-rate
 * decoding) and whether the counts agree; the same recordings as 16 kHz mono wav, with the streams' buffers borrowed
 * from each worker's pool and allocated per recording; and the
 * peak resident memory of counting one 3-hour recording (the files concatenated with ffmpeg -c copy) in
 * a child process; and the start of two counting workers against importing tfjs in a plain Node process.
 * The model is the shipped one (models/default, PCEN features) with its tuned detector.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../../lib/data/paths.ts';
import type { DetectorConfig } from '../../lib/detect/config.ts';
import { countRecordings } from '../../lib/detect/countRecordings.ts';
import { modelDetector } from '../../lib/detect/targetDetector.ts';
import { loadModelDetector, loadModelMeta } from '../../lib/model/io.ts';
import { median } from '../../lib/model/backend/stepTiming.ts';
import { runCount } from '../../lib/pipeline/count.ts';
import { runPool, TFJS_PRELOAD } from '../../lib/util/workers.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

function ffmpegDecode(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-threads', '1', '-i', file, '-f', 'f32le', '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed on ${file}`))));
  });
}

/** Peak RSS (MB) of counting one long file (one worker) in a child process. */
function peakRssOfCount(modelDir: string, folder: string, outDir: string, scratch: string): number {
  // A script file, not `node -e`: the threaded wasm's pthread workers inherit execArgv, and
  // --input-type is refused there.
  const script = join(scratch, 'count-long.mts'); // .mts: ESM outside the package
  writeFileSync(
    script,
    `import { runCount } from ${JSON.stringify(new URL('../../lib/pipeline/count.ts', import.meta.url).pathname)};
await runCount({ modelDir: ${JSON.stringify(modelDir)}, recordingsDir: ${JSON.stringify(folder)}, outDir: ${JSON.stringify(outDir)}, concurrency: 1, review: false, log: () => {} });
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\\n');
process.exit(0);
`,
  );
  const res = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`3-hour count failed: ${res.stderr.slice(-2000)}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!).maxRssKb / 1024;
}

const audioOf = (run: { results: { scored?: { durationSec: number } }[] }) => run.results.reduce((s, r) => s + (r.scored?.durationSec ?? 0), 0);

async function timedCount(modelDir: string, folder: string, outDir: string, detector: Partial<DetectorConfig> = {}, fullRateDecode = false, poolBuffers = true) {
  const started = performance.now();
  const run = await runCount({ modelDir, recordingsDir: folder, outDir, review: false, detector, fullRateDecode, poolBuffers, log: () => {} });
  const seconds = (performance.now() - started) / 1000;
  const windows = run.results.reduce((s, r) => s + (r.scored?.scores.length ?? 0), 0);
  const exact = run.results.reduce((s, r) => s + (r.scored?.exactWindows ?? r.scored?.scores.length ?? 0), 0);
  return { run, seconds, audioSec: audioOf(run), exactShare: windows ? exact / windows : 0 };
}

/** The same recordings as 16 kHz mono 16-bit wav (ffmpeg, not timed), or null without ffmpeg. */
function toWav16k(files: readonly string[], dir: string): string | null {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const res = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-i', f, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', join(dir, basename(f).replace(/\.[^.]+$/, '.wav'))]);
    if (res.status !== 0) return null;
  }
  return dir;
}

/** Seconds a plain Node process (no tsx, no source maps) takes to import what a counting worker preloads: a worker's floor. */
function preloadImportSeconds(): number {
  const code = `const t = performance.now(); for (const p of ${JSON.stringify(TFJS_PRELOAD)}) await import(p); process.stdout.write(String((performance.now() - t) / 1000));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: REPO_ROOT });
  if (res.status !== 0) throw new Error(`importing ${TFJS_PRELOAD.join(', ')} failed: ${res.stderr.slice(-1000)}`);
  return Number(res.stdout);
}

/**
 * Two counting workers started and done with a short file each (the sample's forest excerpt, twice): worker start
 * (boot, tfjs, lib modules, backend, model) is most of it. Against importing tfjs alone in a plain Node process.
 */
async function workerStartRow(tmpDir: string): Promise<BenchRow> {
  const excerpt = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
  const dir = join(tmpDir, 'worker-start');
  mkdirSync(dir, { recursive: true });
  const files = ['a', 'b'].map((n) => join(dir, `${n}.mp3`));
  files.forEach((f) => symlinkSync(excerpt, f));
  const { detector } = modelDetector(loadModelMeta(DEFAULT_MODEL_DIR), loadModelDetector(DEFAULT_MODEL_DIR)?.detector);
  const t0 = performance.now();
  const results = await countRecordings({ modelDir: DEFAULT_MODEL_DIR, files, detector, concurrency: 2, score: { keepAudioSec: 0, imageRowsPerSec: 0 } });
  const seconds = (performance.now() - t0) / 1000;
  const floor = preloadImportSeconds();
  return {
    task: 'start two counting workers and count one short file in each (worker start: boot, tfjs, lib modules, backend, model)',
    workload: `the sample's ${basename(excerpt)}, twice`,
    ours: { name: 'capuchin countRecordings, 2 worker threads, call to done', seconds },
    reference: { name: `plain Node importing ${TFJS_PRELOAD.join(' + ')} (one process, no tsx)`, seconds: floor },
    speedRatio: floor / seconds,
    note: `counts ${results.map((r) => r.count ?? r.error).join(', ')}`,
  };
}

export const countBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const files = listAudioFiles(join(ctx.dataDir, FOREST_DIR)).slice(0, ctx.quick ? 4 : undefined);
  // the recordings to count, linked into one folder (--quick: the first 4)
  const folder = join(ctx.tmpDir, 'count-recordings');
  mkdirSync(folder, { recursive: true });
  for (const f of files) symlinkSync(f, join(folder, basename(f)));
  const modelDir = DEFAULT_MODEL_DIR;
  const screened = await timedCount(modelDir, folder, join(ctx.tmpDir, 'count-out'));
  const { run, audioSec } = screened;
  const ours = screened.seconds;
  const exact = await timedCount(modelDir, folder, join(ctx.tmpDir, 'count-exact'), { screenBelow: null });
  // the decode before half-rate mp3 (lib/audio/mp3.ts): every sample at 48 kHz, then resampled
  const fullRate = await timedCount(modelDir, folder, join(ctx.tmpDir, 'count-full-rate'), {}, true);

  const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  let reference: BenchRow['reference'] = null;
  if (hasFfmpeg) {
    const t0 = performance.now();
    await runPool(run.files, 2, (f) => ffmpegDecode(f));
    const sec = (performance.now() - t0) / 1000;
    reference = { name: 'ffmpeg decode only (48 kHz stereo f32), 2 files at a time', seconds: sec, throughput: audioSec / sec, unit: '× real time' };
  }
  const workload = `${run.files.length} recordings, ${audioSec.toFixed(0)} s of audio`;
  /** The default count against another way of counting the same files: speed, and on how many recordings the counts agree. */
  const againstRow = (task: string, oursName: string, other: Awaited<ReturnType<typeof timedCount>>, otherName: string): BenchRow => {
    const otherCounts = new Map(other.run.results.map((x) => [x.recording, x.count]));
    const sameCounts = run.results.filter((r) => otherCounts.get(r.recording) === r.count).length;
    return {
      task,
      workload,
      ours: { name: oursName, seconds: ours, throughput: audioSec / ours, unit: '× real time' },
      reference: { name: otherName, seconds: other.seconds, throughput: other.audioSec / other.seconds, unit: '× real time' },
      speedRatio: other.seconds / ours,
      note: `the same count on ${sameCounts} of ${run.results.length} recordings`,
      extra: { sameCounts, recordings: run.results.length },
    };
  };
  const rows: BenchRow[] = [
    await workerStartRow(ctx.tmpDir),
    {
      task: 'count calls with the shipped model (48 kHz stereo mp3): decode + 16 kHz + PCEN + screened compact-cnn + events, 2 worker threads',
      workload,
      ours: { name: 'capuchin count', seconds: ours, throughput: audioSec / ours, unit: '× real time' },
      reference,
      speedRatio: reference ? reference.seconds / ours : null,
      note: `target ≥ 0.8× ffmpeg's decode-only throughput (issue 31); measured ${(audioSec / ours).toFixed(0)}×; ${(100 * screened.exactShare).toFixed(1)} % of windows scored exactly`,
      extra: { realTimeFactor: audioSec / ours, targetRatio: 0.8, exactWindowShare: Number(screened.exactShare.toFixed(3)) },
    },
    againstRow(
      'half-rate mp3 decoding (upper band dropped in the subbands) against decoding every sample, then resampling; same files, 2 worker threads',
      'capuchin count (half-rate decode)',
      fullRate,
      'capuchin count, full-rate decode',
    ),
    againstRow(
      'screened scoring against scoring every window on its own (detector screenBelow null), same mp3 files, 2 worker threads',
      'capuchin count (screened)',
      exact,
      'capuchin count, every window exactly',
    ),
  ];

  const wavDir = hasFfmpeg ? toWav16k(run.files, join(ctx.tmpDir, 'count-wav16k')) : null;
  if (wavDir) {
    // Each 3-minute file's stream once took ~17 MB of fresh buffers (read, samples, last chunk): the worker's pool now
    // lends them. The two differ by less than runs move, so pooled and fresh runs alternate (P F P F P): the target row
    // is the median of the pooled runs (the first, right after ffmpeg wrote the files, was the slowest in 4 bench runs of 5),
    // the comparison sums the pooled runs that followed a fresh one against the fresh ones.
    const pairs = ctx.quick ? 1 : 2;
    const wavRun = (pooled: boolean) => timedCount(modelDir, wavDir, join(ctx.tmpDir, pooled ? 'count-wav-out' : 'count-wav-fresh'), {}, false, pooled);
    const pooledRuns = [await wavRun(true)];
    const freshRuns: typeof pooledRuns = [];
    for (let i = 0; i < pairs; i++) {
      freshRuns.push(await wavRun(false));
      pooledRuns.push(await wavRun(true));
    }
    const seconds = (xs: { seconds: number }[]) => xs.map((x) => x.seconds);
    const list = (xs: { seconds: number }[]) => seconds(xs).map((x) => x.toFixed(2)).join(', ');
    const wav = pooledRuns.find((r) => r.seconds === median(seconds(pooledRuns)))!;
    rows.push({
      task: 'count calls in 16 kHz mono wav (the same recordings, converted beforehand), 2 worker threads',
      workload: `${wav.run.files.length} wav files, ${wav.audioSec.toFixed(0)} s of audio, median of ${pooledRuns.length} run(s)`,
      ours: { name: 'capuchin count', seconds: wav.seconds, throughput: wav.audioSec / wav.seconds, unit: '× real time' },
      reference: null,
      speedRatio: null,
      note: `target ≥ 2000× real time (issue 31); measured ${(wav.audioSec / wav.seconds).toFixed(0)}× (runs ${list(pooledRuns)} s)`,
      extra: { realTimeFactor: wav.audioSec / wav.seconds, targetRealTimeFactor: 2000 },
    });
    const afterFresh = pooledRuns.slice(1);
    const total = (xs: { seconds: number }[]) => xs.reduce((s, x) => s + x.seconds, 0);
    const freshCounts = new Map(freshRuns[0].run.results.map((r) => [r.recording, r.count]));
    const sameCounts = wav.run.results.filter((r) => freshCounts.get(r.recording) === r.count).length;
    rows.push({
      task: "stream buffers: borrowed from the worker's pool (lib/util/bufferPool.ts) against allocated for each recording; the same 16 kHz wav, 2 worker threads",
      workload: `${wav.run.files.length} wav files, ${wav.audioSec.toFixed(0)} s of audio, ${pairs} run(s) of each, interleaved (summed)`,
      ours: { name: 'capuchin count (pooled)', seconds: total(afterFresh), throughput: (pairs * wav.audioSec) / total(afterFresh), unit: '× real time' },
      reference: { name: 'capuchin count, fresh buffers per recording', seconds: total(freshRuns), throughput: (pairs * wav.audioSec) / total(freshRuns), unit: '× real time' },
      speedRatio: total(freshRuns) / total(afterFresh),
      note: `pooled ${list(afterFresh)} s, fresh ${list(freshRuns)} s; the same count on ${sameCounts} of ${wav.run.results.length} recordings`,
      extra: { sameCounts, recordings: wav.run.results.length },
    });
  }

  if (hasFfmpeg && !ctx.quick) {
    // One 3-hour file: the shared recordings concatenated (repeated) without re-encoding.
    const longDir = join(ctx.tmpDir, 'long');
    spawnSync('mkdir', ['-p', longDir]);
    const list = join(ctx.tmpDir, 'concat.txt');
    const needed = Math.ceil((3 * 3600) / (audioSec / run.files.length));
    const lines = Array.from({ length: needed }, (_, i) => `file '${run.files[i % run.files.length].replace(/'/g, "'\\''")}'`).join('\n');
    writeFileSync(list, lines + '\n');
    const cat = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', join(longDir, 'three_hours.mp3')]);
    if (cat.status === 0) {
      const t0 = performance.now();
      const rssMb = peakRssOfCount(modelDir, longDir, join(ctx.tmpDir, 'long-out'), ctx.tmpDir);
      const sec = (performance.now() - t0) / 1000;
      rows.push({
        task: 'count one 3-hour recording (peak resident memory)',
        workload: `${needed} recordings concatenated (ffmpeg -c copy), one worker`,
        ours: { name: 'capuchin count', seconds: sec, throughput: (needed * audioSec) / run.files.length / sec, unit: '× real time' },
        reference: null,
        speedRatio: null,
        note: `peak RSS ${rssMb.toFixed(0)} MB (target < 1024 MB)`,
        extra: { peakRssMb: rssMb },
      });
    }
  }
  return rows;
};
