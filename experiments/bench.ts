/**
 * `npm run bench [-- --data DIR] [--out DIR] [--only decode,features,train,count,review,web] [--quick]`
 * Runs the benchmark suites, each next to a reference measured in the same run, and writes
 * bench.json and bench.md (default artifacts/bench/). Timings live here, never in tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS_DIR, resolveDataDir } from '../lib/data/paths.ts';
import { writeFileAtomic, writeJsonAtomic } from '../lib/util/atomic.ts';
import { countBench } from './bench/count.ts';
import { decodeBench } from './bench/decode.ts';
import { featuresBench } from './bench/features.ts';
import { reviewBench } from './bench/review.ts';
import { trainBench } from './bench/train.ts';
import { webBench } from './bench/web.ts';
import type { BenchRow, BenchSuite } from './bench/types.ts';
import { dataOption, newCommand, outOption, runMain } from './cli.ts';

const SUITES: Record<string, BenchSuite> = { decode: decodeBench, features: featuresBench, train: trainBench, count: countBench, review: reviewBench, web: webBench };

const program = newCommand('bench', 'Benchmarks against references measured in the same run')
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/bench)'))
  .option('--only <suites>', `comma-separated subset of ${Object.keys(SUITES).join(',')}`)
  .option('--quick', 'fewer files, for a smoke run', false);

const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

function markdown(rows: BenchRow[], meta: Record<string, string>): string {
  const head = '| task | workload | ours | reference | reference s / ours s | target | note |\n|---|---|---|---|---|---|---|';
  const side = (s: BenchRow['ours'] | null) =>
    s ? `${s.name}: ${fmt(s.seconds, 3)} s${s.throughput ? ` (${fmt(s.throughput, 0)}${s.unit ? ' ' + s.unit : ''})` : ''}` : 'not available';
  const lines = rows.map((r) => `| ${r.task} | ${r.workload} | ${side(r.ours)} | ${side(r.reference)} | ${fmt(r.speedRatio)} | ${r.target ?? ''} | ${r.note ?? ''} |`);
  return `# capuchin bench\n\n${Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n\n${head}\n${lines.join('\n')}\n`;
}

await runMain(async () => {
  const o = program.parse().opts<{ data?: string; out?: string; only?: string; quick: boolean }>();
  const names = o.only ? o.only.split(',').map((s) => s.trim()) : Object.keys(SUITES);
  for (const n of names) if (!SUITES[n]) throw new Error(`--only: unknown suite '${n}'. Fix: use ${Object.keys(SUITES).join(', ')}`);
  const dataDir = resolveDataDir(o.data);
  const outDir = o.out ?? join(ARTIFACTS_DIR, 'bench');
  const tmpDir = mkdtempSync(join(tmpdir(), 'capuchin-bench-'));
  const rows: BenchRow[] = [];
  try {
    for (const name of names) {
      process.stderr.write(`bench: ${name} …\n`);
      const t0 = Date.now();
      let got: BenchRow[];
      try {
        got = await SUITES[name]({ dataDir, tmpDir, quick: o.quick });
      } catch (err) {
        // one failing suite must not lose the others' rows
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 1500);
        process.stderr.write(`bench: ${name} FAILED: ${message}\n`);
        got = [{ task: `${name} suite`, workload: '-', ours: { name: 'failed', seconds: NaN }, reference: null, speedRatio: null, note: `FAILED: ${message}` }];
      }
      for (const r of got) process.stderr.write(`  ${r.task}: ours ${fmt(r.ours.seconds, 3)} s, reference ${r.reference ? fmt(r.reference.seconds, 3) + ' s' : 'n/a'}, ratio ${fmt(r.speedRatio)}\n`);
      process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      rows.push(...got);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const meta = { date: new Date().toISOString(), data: dataDir, cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, node: process.version };
  writeJsonAtomic(join(outDir, 'bench.json'), { ...meta, rows });
  writeFileAtomic(join(outDir, 'bench.md'), markdown(rows, meta));
  process.stdout.write(markdown(rows, meta));
});
