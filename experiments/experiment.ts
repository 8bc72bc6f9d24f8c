/**
 * `npm run experiment -- mel|spectrogram|mfcc|all [--data DIR] [--out DIR] [--config FILE.json] ...`
 * Cross-validates a classifier config, writes its report and final model, and counts calls in the
 * data folder's Forest Recordings with that model when the folder has them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { loadExperimentConfig, type ExperimentConfig } from '../lib/model/experimentConfig.ts';
import { runCount } from '../lib/pipeline/count.ts';
import { runExperiment, type ExperimentRun } from '../lib/pipeline/experiment.ts';
import { compareReport } from '../lib/report/writeExperiment.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';

const CONFIG_DIR = new URL('./configs/', import.meta.url).pathname;
const SWEEP = ['mel', 'spectrogram', 'mfcc', 'mel-noaug'];

function configFor(name: string, file?: string): ExperimentConfig {
  if (file) return loadExperimentConfig(file);
  const path = join(CONFIG_DIR, `${name}.json`);
  if (!existsSync(path)) {
    const known = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    throw new Error(`unknown experiment '${name}'. Fix: use one of ${[...known, 'all'].join(', ')}, or pass --config FILE.json`);
  }
  return loadExperimentConfig(path);
}

const program = newCommand('experiment', 'Cross-validate a Capuchinbird classifier, write its report and model, and count calls')
  .argument('<name>', `experiment: ${SWEEP.slice(0, 3).join(' | ')} | all (sweep over ${SWEEP.join(', ')}) | any experiments/configs/<name>.json`)
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/<experiment>/<timestamp>/)'))
  .option('--config <file>', 'typed experiment config JSON (overrides <name>\'s built-in config)')
  .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']))
  .option('--allow-cpu-training', 'allow training on the (very slow) cpu backend', false)
  .option('--allow-large-model', 'allow models of more than 5 M parameters on a CPU backend (seed-cnn)', false)
  .option('--workers <n>', 'parallel training workers (default: CPU cores)', parsePositiveInt('--workers'))
  .option('--no-count', 'skip counting calls in Forest Recordings after training')
  .option('--no-cache', 'do not read or write the feature cache');

await runMain(async () => {
  program.parse();
  const [name] = program.args;
  const o = program.opts<{ data?: string; out?: string; config?: string; backend?: never; allowCpuTraining: boolean; allowLargeModel: boolean; workers?: number; count: boolean; cache: boolean }>();
  const dataDir = resolveDataDir(o.data);
  const names = name === 'all' ? SWEEP : [name];
  const root = o.out ?? defaultOutDir(name);
  const runs: ExperimentRun[] = [];
  for (const [i, n] of names.entries()) {
    const config = configFor(n, name === 'all' ? undefined : o.config);
    if (names.length > 1) process.stderr.write(`\n=== sweep ${i + 1}/${names.length}: ${config.name} ===\n`);
    const outDir = names.length > 1 ? join(root, config.name) : root;
    const run = await runExperiment(config, {
      dataDir,
      outDir,
      backend: o.backend,
      allowCpuTraining: o.allowCpuTraining,
      allowLargeModel: o.allowLargeModel,
      concurrency: o.workers,
      cacheDir: o.cache ? undefined : false,
    });
    runs.push(run);
    const forest = join(dataDir, FOREST_DIR);
    if (o.count && run.modelDir && existsSync(forest)) {
      await runCount({ modelDir: run.modelDir, recordingsDir: forest, outDir: join(outDir, 'count'), dataDir, concurrency: o.workers, backend: o.backend });
    }
  }
  if (runs.length > 1) {
    compareReport(root, runs.map((r) => r.result));
    process.stderr.write(`sweep comparison → ${join(root, 'compare.html')}, ${join(root, 'compare.csv')}\n`);
  }
});
