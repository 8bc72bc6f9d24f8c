/**
 * `npm run review-curve -- [--data DIR] [--out DIR] [--config NAME|FILE.json] [--batches 0,5,10,20,40] [--seed N]`
 * Measures the review loop: a simulated reviewer reviews, from the labels, the field recordings 00–39
 * in batches; each batch retrains (reviewed calls as positives, rejected detections as hard negatives)
 * and counts the held-out recordings 40–49. Writes review_curve.csv and compare.html
 * (lib/pipeline/reviewCurve.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { BACKEND_NAMES } from '../lib/model/backend/select.ts';
import { loadExperimentConfig, type ExperimentConfig } from '../lib/model/experimentConfig.ts';
import { DEFAULT_REVIEW_BATCHES, runReviewCurve } from '../lib/pipeline/reviewCurve.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, recordingRoleOptions, resolveRoles, runMain, type RoleFlags } from './cli.ts';

const CONFIG_DIR = new URL('./configs/', import.meta.url).pathname;

function configFor(name: string): ExperimentConfig {
  if (name.endsWith('.json')) return loadExperimentConfig(name);
  const path = join(CONFIG_DIR, `${name}.json`);
  if (!existsSync(path)) {
    const known = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    throw new Error(`unknown config '${name}'. Fix: use one of ${known.join(', ')}, or pass a FILE.json`);
  }
  return loadExperimentConfig(path);
}

function parseBatches(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (!parts.length || parts.some((p) => p === '') || nums.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new InvalidArgumentError(`--batches must be whole numbers ≥ 0 separated by commas, e.g. 0,5,10,20,40; got '${value}'`);
  }
  return nums;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`--seed must be a whole number, got '${value}'`);
  return n;
}

const program = newCommand('review-curve', 'Retrain from simulated reviews of 0, 5, 10, 20, 40 field recordings and count the held-out ones each time')
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/review-curve/<timestamp>/)'))
  .option('--config <name>', 'experiment config every batch trains: a name of experiments/configs/ or a FILE.json', 'mel')
  .option('--batches <list>', 'numbers of reviewed field recordings, comma-separated', parseBatches, [...DEFAULT_REVIEW_BATCHES])
  .option('--seed <n>', 'seed of the order in which the simulated reviewer reviews the field recordings', parseSeed, 42)
  .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(BACKEND_NAMES))
  .option('--allow-cpu-training', 'allow training on the (very slow) cpu backend', false)
  .option('--workers <n>', 'parallel training workers (default: CPU cores)', parsePositiveInt('--workers'))
  .option('--no-cache', 'do not read or write the feature cache');
recordingRoleOptions(program);

await runMain(async () => {
  program.parse();
  const o = program.opts<{ data?: string; out?: string; config: string; batches: number[]; seed: number; backend?: never; allowCpuTraining: boolean; workers?: number; cache: boolean } & RoleFlags>();
  const run = await runReviewCurve({
    dataDir: resolveDataDir(o.data),
    outDir: o.out ?? defaultOutDir('review-curve'),
    config: configFor(o.config),
    batches: o.batches,
    seed: o.seed,
    roles: resolveRoles(o),
    backend: o.backend,
    allowCpuTraining: o.allowCpuTraining,
    concurrency: o.workers,
    cacheDir: o.cache ? undefined : false,
  });
  process.stdout.write(`${run.outDir}\n`);
});
