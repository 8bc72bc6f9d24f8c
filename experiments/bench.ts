/**
 * `npm run bench [-- --data DIR] [--out DIR] [--only decode,wav,features,train,kernels,count,review,web] [--quick] [--noisy 0.25] [--reruns 1]`
 * Runs the benchmark suites, each next to a reference measured in the same run, and writes
 * bench.json and bench.md (default artifacts/bench/). Timings live here, never in tests.
 * Each suite's load is recorded (bench/load.ts); a suite during which other processes used more than
 * --noisy cores is run again, up to --reruns times, and its quietest attempt is kept.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS_DIR, resolveDataDir } from '../lib/data/paths.ts';
import { writeFileAtomic, writeJsonAtomic } from '../lib/util/atomic.ts';
import { countBench } from './bench/count.ts';
import { decodeBench } from './bench/decode.ts';
import { featuresBench } from './bench/features.ts';
import { kernelsBench } from './bench/kernels.ts';
import { reviewBench } from './bench/review.ts';
import { trainBench } from './bench/train.ts';
import { webBench } from './bench/web.ts';
import { wavBench } from './bench/wav.ts';
import { sampleLoad, suiteLoad, type SuiteLoad } from './bench/load.ts';
import type { BenchRow, BenchSuite } from './bench/types.ts';
import { dataOption, newCommand, outOption, runMain } from './cli.ts';

const SUITES: Record<string, BenchSuite> = { decode: decodeBench, wav: wavBench, features: featuresBench, train: trainBench, kernels: kernelsBench, count: countBench, review: reviewBench, web: webBench };

const program = newCommand('bench', 'Benchmarks against references measured in the same run')
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/bench)'))
  .option('--only <suites>', `comma-separated subset of ${Object.keys(SUITES).join(',')}`)
  .option('--quick', 'fewer files, for a smoke run', false)
  .option('--noisy <cores>', "rerun a suite when other processes used more than this many cores during it", '0.25')
  .option('--reruns <n>', 'at most this many reruns of a noisy suite (the quietest attempt is kept)', '1');

const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

interface Attempt extends SuiteLoad {
  suite: string;
  attempt: number;
  kept: boolean;
}

function markdown(rows: BenchRow[], meta: Record<string, string>, attempts: Attempt[]): string {
  const head = '| task | workload | ours | reference | reference s / ours s | target | note |\n|---|---|---|---|---|---|---|';
  const side = (s: BenchRow['ours'] | null) =>
    s ? `${s.name}: ${fmt(s.seconds, 3)} s${s.throughput ? ` (${fmt(s.throughput, 0)}${s.unit ? ' ' + s.unit : ''})` : ''}` : 'not available';
  const lines = rows.map((r) => `| ${r.task} | ${r.workload} | ${side(r.ours)} | ${side(r.reference)} | ${fmt(r.speedRatio)} | ${r.target ?? ''} | ${r.note ?? ''} |`);
  const load = attempts.map((a) => `| ${a.suite} | ${a.attempt} | ${fmt(a.wallSec, 0)} | ${fmt(a.loadBefore)} | ${fmt(a.loadAfter)} | ${fmt(a.otherCores)} | ${a.kept ? 'kept' : 'dropped (noisier)'} |`);
  return (
    `# capuchin bench\n\n${Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n\n${head}\n${lines.join('\n')}\n\n` +
    `## Load during each suite\n\nThe load average counts the suite's own work; "other processes" is the CPU everything else on the machine used ` +
    `while the suite ran (all busy time in /proc/stat minus this process and its children), in cores. A suite above the --noisy limit is run again ` +
    `and its quietest attempt kept.\n\n| suite | attempt | wall s | load avg before | load avg after | other processes, cores | rows |\n|---|---|---|---|---|---|---|\n${load.join('\n')}\n`
  );
}

await runMain(async () => {
  const o = program.parse().opts<{ data?: string; out?: string; only?: string; quick: boolean; noisy: string; reruns: string }>();
  const noisy = Number(o.noisy);
  const reruns = Number(o.reruns);
  if (!(noisy >= 0)) throw new Error(`--noisy: expected a number of cores ≥ 0, got '${o.noisy}'`);
  if (!Number.isInteger(reruns) || reruns < 0) throw new Error(`--reruns: expected an integer ≥ 0, got '${o.reruns}'`);
  const names = o.only ? o.only.split(',').map((s) => s.trim()) : Object.keys(SUITES);
  for (const n of names) if (!SUITES[n]) throw new Error(`--only: unknown suite '${n}'. Fix: use ${Object.keys(SUITES).join(', ')}`);
  const dataDir = resolveDataDir(o.data);
  const outDir = o.out ?? join(ARTIFACTS_DIR, 'bench');
  const tmpDir = mkdtempSync(join(tmpdir(), 'capuchin-bench-'));
  const rows: BenchRow[] = [];
  const attempts: Attempt[] = [];
  try {
    for (const name of names) {
      let best: { rows: BenchRow[]; load: SuiteLoad; attempt: Attempt; noise: number } | null = null;
      for (let attempt = 1; attempt <= 1 + reruns; attempt++) {
        process.stderr.write(`bench: ${name}${attempt > 1 ? ` (attempt ${attempt}: the last one was noisy)` : ''} …\n`);
        const before = sampleLoad();
        let got: BenchRow[];
        try {
          const scratch = join(tmpDir, `${name}-${attempt}`); // each attempt starts from an empty folder
          mkdirSync(scratch);
          got = await SUITES[name]({ dataDir, tmpDir: scratch, quick: o.quick });
        } catch (err) {
          // one failing suite must not lose the others' rows
          const message = (err instanceof Error ? err.message : String(err)).slice(0, 1500);
          process.stderr.write(`bench: ${name} FAILED: ${message}\n`);
          got = [{ task: `${name} suite`, workload: '-', ours: { name: 'failed', seconds: NaN }, reference: null, speedRatio: null, note: `FAILED: ${message}` }];
        }
        const load = suiteLoad(before, sampleLoad());
        for (const r of got) process.stderr.write(`  ${r.task}: ours ${fmt(r.ours.seconds, 3)} s, reference ${r.reference ? fmt(r.reference.seconds, 3) + ' s' : 'n/a'}, ratio ${fmt(r.speedRatio)}\n`);
        process.stderr.write(`bench: ${name} done in ${load.wallSec.toFixed(0)} s; load average ${fmt(load.loadBefore)} → ${fmt(load.loadAfter)}, other processes ${fmt(load.otherCores)} cores\n`);
        const entry = { suite: name, attempt, kept: false, ...load };
        attempts.push(entry);
        const failed = got.some((r) => r.note?.startsWith('FAILED'));
        // a failed attempt never beats one that ran; NaN (no /proc) never beats a measured one and never asks for a rerun
        const noise = failed ? Infinity : load.otherCores;
        if (!best || noise < best.noise) best = { rows: got, load, attempt: entry, noise };
        if (failed || !(load.otherCores > noisy)) break;
      }
      best!.attempt.kept = true;
      const { loadBefore, loadAfter, otherCores } = best!.load;
      for (const r of best!.rows) r.extra = { ...r.extra, loadAvgBefore: Number(loadBefore.toFixed(2)), loadAvgAfter: Number(loadAfter.toFixed(2)), otherProcessesCores: Number(otherCores.toFixed(2)), attempt: best!.attempt.attempt };
      rows.push(...best!.rows);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const meta = { date: new Date().toISOString(), data: dataDir, cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, node: process.version };
  writeJsonAtomic(join(outDir, 'bench.json'), { ...meta, rows, load: attempts });
  const md = markdown(rows, meta, attempts);
  writeFileAtomic(join(outDir, 'bench.md'), md);
  process.stdout.write(md);
});
