/**
 * `npm run experiment -- mel|pcen|field|spectrogram|mfcc|all [--data DIR] [--out DIR] [--config FILE.json]
 *    [--field-labels labels_calls.csv] [--tune-labels data|field-labels] [--field-recordings RE] [--holdout-recordings RE] [--eval-recordings RE] ...`
 * Cross-validates a classifier config (field recordings split into the same folds), tunes the
 * detector on the folds' out-of-fold tracks, writes the report and the final model (with its
 * detector), and counts calls in the data folder's Forest Recordings with it when the folder has them.
 * `all` runs the ablation, one lever per row, and writes compare.html / compare.csv.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { BACKEND_NAMES } from '../lib/model/backend/select.ts';
import { FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { loadExperimentConfig, type ExperimentConfig } from '../lib/model/experimentConfig.ts';
import { runExperiment, type ExperimentRun } from '../lib/pipeline/experiment.ts';
import { compareReport } from '../lib/report/writeExperiment.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, recordingRoleOptions, resolveRoles, runMain, type RoleFlags } from './cli.ts';

const CONFIG_DIR = new URL('./configs/', import.meta.url).pathname;
/** The ablation `all` runs: one lever per row (field-labelled rows need --field-labels). */
const SWEEP = ['mel-noaug', 'mel-nobg', 'mel', 'pcen', 'pcen-bg', 'field', 'field-bg'];

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
  .argument('<name>', `experiment: mel | pcen | field | spectrogram | mfcc | all (the ablation ${SWEEP.join(', ')}) | any experiments/configs/<name>.json`)
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/<experiment>/<timestamp>/)'))
  .option('--config <file>', 'typed experiment config JSON (overrides <name>\'s built-in config)')
  .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(BACKEND_NAMES))
  .option('--allow-cpu-training', 'allow training on the (very slow) cpu backend', false)
  .option('--allow-large-model', 'allow models of more than 5 M parameters on a CPU backend (seed-cnn)', false)
  .option('--workers <n>', 'parallel training workers (default: CPU cores)', parsePositiveInt('--workers'))
  .option('--field-labels <file>', 'labels_calls.csv-layout labels: windows of the labelled field recordings train too (the field configuration); a verdicts.csv beside it adds its rejected detections as hard negatives')
  .addOption(
    new Option('--tune-labels <which>', "labels that tune the detector: 'data' (the data folder's labels_calls.csv) or 'field-labels' (only the --field-labels recordings, e.g. what was reviewed)")
      .choices(['data', 'field-labels'])
      .default('data'),
  )
  .option('--no-count', 'skip counting calls in Forest Recordings after training')
  .option('--no-cache', 'do not read or write the feature cache');
recordingRoleOptions(program);

await runMain(async () => {
  program.parse();
  const [name] = program.args;
  const o = program.opts<{ data?: string; out?: string; config?: string; backend?: never; allowCpuTraining: boolean; allowLargeModel: boolean; workers?: number; count: boolean; cache: boolean; fieldLabels?: string; tuneLabels: 'data' | 'field-labels' } & RoleFlags>();
  const dataDir = resolveDataDir(o.data);
  const roles = resolveRoles(o);
  const forest = join(dataDir, FOREST_DIR);
  const names = name === 'all' ? SWEEP : [name];
  const root = o.out ?? defaultOutDir(name);
  const runs: ExperimentRun[] = [];
  for (const [i, n] of names.entries()) {
    const config = configFor(n, name === 'all' ? undefined : o.config);
    // in the sweep only the rows that are about field labels get them; a single run gets what it is given
    const fieldLabels = name === 'all' ? (config.field.required ? o.fieldLabels : undefined) : o.fieldLabels;
    if (names.length > 1) process.stderr.write(`\n=== sweep ${i + 1}/${names.length}: ${config.name} ===\n`);
    if (config.field.required && !fieldLabels && name === 'all') {
      process.stderr.write(`skipping ${config.name}: it trains on labelled field recordings; pass --field-labels DIR/labels_calls.csv to include it\n`);
      continue;
    }
    const outDir = names.length > 1 ? join(root, config.name) : root;
    const run = await runExperiment(config, {
      dataDir,
      outDir,
      backend: o.backend,
      allowCpuTraining: o.allowCpuTraining,
      allowLargeModel: o.allowLargeModel,
      concurrency: o.workers,
      cacheDir: o.cache ? undefined : false,
      roles,
      fieldLabels,
      tuneLabels: o.tuneLabels === 'field-labels' ? 'fieldLabels' : 'data',
      countDir: o.count && existsSync(forest) ? forest : undefined,
    });
    runs.push(run);
  }
  if (runs.length > 1) {
    compareReport(root, runs.map((r) => r.result));
    process.stderr.write(`sweep comparison → ${join(root, 'compare.html')}, ${join(root, 'compare.csv')}\n`);
  }
  // 3: some inputs could not be used (each listed in errors.csv of its run); the rest trained and counted
  const skipped = runs.reduce((n, r) => n + r.skipped.length + (r.count?.failed ?? 0), 0);
  if (skipped) {
    process.exitCode = 3;
    process.stderr.write(`experiment: ${skipped} input file(s) could not be used (exit 3); see errors.csv in ${runs.map((r) => r.outDir).join(', ')}\n`);
  }
});
