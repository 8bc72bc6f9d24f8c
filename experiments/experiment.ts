/**
 * `npm run experiment -- NAME [--data DIR] [--out DIR] [--config FILE.json] [--folds K]
 *    [--positives DIR --negatives DIR [--groups REGEX]] [--recordings DIR --annotations FILE|DIR [--annotation-class LABEL]]
 *    [--target-name NAME] [--call-sec S] [--band LOW-HIGH] [--sample-rate HZ] [--window-sec S] [--hop-sec S]
 *    [--field-labels labels_calls.csv] [--tune-labels data|field-labels] [--field-recordings RE] [--holdout-recordings RE] [--eval-recordings RE] ...`
 * Cross-validates a classifier config (field or annotated recordings split into the same folds), tunes the
 * detector on the folds' out-of-fold tracks, writes the report and the final model (with its target and
 * detector), and counts calls in the data folder's Forest Recordings (or the annotated recordings) with it.
 * NAME is a config of experiments/configs/ (mel, pcen, field, …; `all` runs the Capuchinbird ablation and writes
 * compare.html / compare.csv); with clip folders or annotated recordings any other NAME trains the recipe for a
 * new target (experiments/configs/species.json) and names the target.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES } from '../lib/model/backend/select.ts';
import { labelsDirFor } from '../lib/data/labels.ts';
import { FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { loadExperimentConfig, type ExperimentConfig } from '../lib/model/experimentConfig.ts';
import { runExperiment, type ExperimentRun } from '../lib/pipeline/experiment.ts';
import { readExperimentInputs, targetContextOf, type ExperimentInputs } from '../lib/pipeline/experimentInputs.ts';
import { parseRecordingsPattern } from '../lib/data/roles.ts';
import type { TargetInput } from '../lib/records/target.ts';
import { compareReport } from '../lib/report/writeExperiment.ts';
import { dataOption, newCommand, outOption, parseNumber, parsePositiveInt, recordingRoleOptions, resolveRoles, runMain, writingInto, type RoleFlags } from './cli.ts';

const CONFIG_DIR = new URL('./configs/', import.meta.url).pathname;
/** The ablation `all` runs: one lever per row (field-labelled rows need --field-labels). */
const SWEEP = ['mel-noaug', 'mel-nobg', 'mel-bg', 'mel', 'pcen', 'pcen-bg', 'field', 'field-bg'];

/** The recipe a new target trains with when NAME is not a config of its own. */
const NEW_TARGET_RECIPE = 'species';

function configFor(name: string, file: string | undefined, inputs: ExperimentInputs, target: TargetInput, folds?: number): ExperimentConfig {
  const ctx = targetContextOf(inputs, name, target);
  const path = file ?? join(CONFIG_DIR, `${name}.json`);
  if (!file && !existsSync(path)) {
    const known = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    if (inputs.kaggle) throw new Error(`unknown experiment '${name}'. Fix: use one of ${[...known, 'all'].join(', ')}, pass --config FILE.json, or name your data (--positives/--negatives, --recordings/--annotations) to train a new target called '${name}'`);
    const recipe = loadExperimentConfig(join(CONFIG_DIR, `${NEW_TARGET_RECIPE}.json`), ctx);
    return withFolds({ ...recipe, name }, folds);
  }
  return withFolds(loadExperimentConfig(path, ctx), folds);
}

/** --folds over the config's train.folds. */
function withFolds(config: ExperimentConfig, folds?: number): ExperimentConfig {
  if (folds === undefined) return config;
  if (folds < 2 || folds > 20) throw new Error(`--folds must be in [2, 20], got ${folds}`);
  return { ...config, train: { ...config.train, folds } };
}

/** `LOW-HIGH` in Hz. */
function parseBand(value: string): { lowHz: number; highHz: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m || !(Number(m[1]) < Number(m[2]))) throw new InvalidArgumentError(`--band must be LOW-HIGH in Hz with LOW < HIGH (e.g. 500-2500), got '${value}'`);
  return { lowHz: Number(m[1]), highHz: Number(m[2]) };
}

const program = newCommand('experiment', 'Cross-validate a call classifier (the Capuchinbird by default, or any target from your clips and annotations), write its report and model, and count calls')
  .argument('<name>', `experiment: mel | pcen | field | spectrogram | mfcc | all (the ablation ${SWEEP.join(', ')}) | any experiments/configs/<name>.json | with your own data, any name for a new target`)
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/<experiment>/<timestamp>/)'))
  .option('--config <file>', 'typed experiment config JSON (overrides <name>\'s built-in config)')
  .option('--folds <k>', 'cross-validation folds (default: the config\'s train.folds, 5)', parsePositiveInt('--folds'))
  .option('--positives <dir>', 'folder of clips of the target (with --negatives; in place of the Kaggle layout)')
  .option('--negatives <dir>', 'folder of clips of anything else')
  .option('--groups <regex>', "source recording of a clip: the first capture group of REGEX on its file name (default: the name before the last '-'), e.g. '^(.*)_Ch1'")
  .option('--recordings <dir>', 'folder of annotated recordings (with --annotations): each one they name trains, fully labelled')
  .option('--annotations <path>', 'Raven selection table(s), Audacity label track(s), labels_calls.csv or a CSV of calls (file + start/end or start/duration): a file or a folder')
  .option('--annotation-class <label>', 'keep only annotation rows of this class (Species, MANUAL ID, label, …)')
  .option('--recursive', 'with --recordings: recordings in subfolders too, named by their path under the folder', false)
  .option('--target-name <name>', 'what is counted (default: NAME for a new target, the Capuchinbird for the Kaggle layout)')
  .option('--call-sec <s>', 'typical call duration, seconds (default: the median annotated call)', parseNumber('--call-sec'))
  .option('--band <low-high>', 'the call\'s band in Hz, e.g. 500-2500 (default: from Raven boxes, else 100-8000)', parseBand)
  .option('--sample-rate <hz>', 'analysis sample rate (default: the first standard rate that holds the band)', parsePositiveInt('--sample-rate'))
  .option('--window-sec <s>', 'analysis window, seconds (default: ¾ of a call, in [0.3, 3])', parseNumber('--window-sec'))
  .option('--hop-sec <s>', 'seconds between scored windows (default: a sixth of the window)', parseNumber('--hop-sec'))
  .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(BACKEND_NAMES))
  .option('--allow-cpu-training', 'allow training on the (very slow) cpu backend', false)
  .option('--allow-large-model', 'allow models of more than 5 M parameters on a CPU backend (seed-cnn)', false)
  .option('--workers <n>', 'parallel training workers (default: CPU cores)', parsePositiveInt('--workers'))
  .option('--field-labels <file>', 'labels_calls.csv-layout labels: windows of the labelled field recordings train too (the field configuration; default: the data folder\'s labels_calls.csv, else data/labels/ for the Kaggle recordings); a verdicts.csv beside it adds its rejected detections as hard negatives')
  .addOption(
    new Option('--tune-labels <which>', "labels that tune the detector: 'data' (the data folder's labels_calls.csv) or 'field-labels' (only the --field-labels recordings, e.g. what was reviewed)")
      .choices(['data', 'field-labels'])
      .default('data'),
  )
  .option('--no-count', 'skip counting calls in Forest Recordings after training')
  .option('--degraded <dir>', 'degraded copies of the field recordings (npm run degrade --out): each scored out of fold and counted with the cross-validated detector')
  .option('--no-cache', 'do not read or write the feature cache');
recordingRoleOptions(program);

await runMain(async () => {
  program.parse();
  const [name] = program.args;
  const o = program.opts<{ degraded?: string; data?: string; out?: string; config?: string; backend?: never; allowCpuTraining: boolean; allowLargeModel: boolean; workers?: number; count: boolean; cache: boolean; fieldLabels?: string; tuneLabels: 'data' | 'field-labels'; folds?: number; positives?: string; negatives?: string; groups?: string; recordings?: string; annotations?: string; annotationClass?: string; recursive: boolean; targetName?: string; callSec?: number; band?: { lowHz: number; highHz: number }; sampleRate?: number; windowSec?: number; hopSec?: number } & RoleFlags>();
  const dataDir = resolveDataDir(o.data);
  const inputs = readExperimentInputs({
    dataDir,
    positives: o.positives,
    negatives: o.negatives,
    groups: o.groups === undefined ? undefined : parseRecordingsPattern('--groups', o.groups, '^(.*)_Ch1'),
    recordings: o.recordings,
    annotations: o.annotations,
    annotationClass: o.annotationClass,
    recursive: o.recursive,
  });
  if (!inputs.kaggle && (name === 'all' || o.fieldLabels)) throw new Error(`${name === 'all' ? "'all' (the Capuchinbird ablation)" : '--field-labels'} works on the Kaggle layout. Fix: leave out --positives/--recordings, or train one config (annotations take the place of --field-labels).`);
  const target: TargetInput = Object.fromEntries(
    Object.entries({ name: o.targetName, callSec: o.callSec, ...(o.band ?? {}), sampleRate: o.sampleRate, windowSec: o.windowSec, hopSec: o.hopSec }).filter(([, v]) => v !== undefined),
  );
  const roles = resolveRoles(o);
  const forest = join(dataDir, FOREST_DIR);
  const countDir = !o.count ? undefined : inputs.annotated ? inputs.annotated.dir : inputs.kaggle && existsSync(forest) ? forest : undefined;
  const names = name === 'all' ? SWEEP : [name];
  const root = o.out ?? defaultOutDir(name);
  writingInto(root);
  const runs: ExperimentRun[] = [];
  for (const [i, n] of names.entries()) {
    const config = configFor(n, name === 'all' ? undefined : o.config, inputs, target, o.folds);
    // in the sweep only the rows that train on field labels get them; a single run gets what it is given
    const fieldLabels = name === 'all' ? (config.field.labels !== 'given' ? o.fieldLabels : undefined) : o.fieldLabels;
    if (names.length > 1) process.stderr.write(`\n=== sweep ${i + 1}/${names.length}: ${config.name} ===\n`);
    if (config.field.labels === 'required' && !fieldLabels && name === 'all' && !labelsDirFor(dataDir)) {
      process.stderr.write(`skipping ${config.name}: it trains on labelled field recordings and ${dataDir} has no labels; pass --field-labels DIR/labels_calls.csv to include it\n`);
      continue;
    }
    const outDir = names.length > 1 ? join(root, config.name) : root;
    const run = await runExperiment(config, {
      dataDir,
      inputs,
      fieldRoleGiven: o.fieldRecordings !== undefined,
      outDir,
      backend: o.backend,
      allowCpuTraining: o.allowCpuTraining,
      allowLargeModel: o.allowLargeModel,
      concurrency: o.workers,
      cacheDir: o.cache ? undefined : false,
      roles,
      fieldLabels,
      tuneLabels: o.tuneLabels === 'field-labels' ? 'fieldLabels' : 'data',
      countDir,
      degradedDir: o.degraded,
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
