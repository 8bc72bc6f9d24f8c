/**
 * `npm run tune-detector -- --model MODEL_DIR [--data DIR] [--out DIR] [--tune REGEX] [--test REGEX] [--folds N]`
 * Chooses the detector's post-processing by cross-validation over the tuning recordings (default
 * recording_00–39, the field recordings) and reports it on held-out recordings (default 40–49), with
 * the model's final weights. `npm run experiment` already tunes on the folds' out-of-fold tracks and
 * saves the result as the model's detector.json; this command re-tunes an existing model.
 * Writes detector_config.json (use it with `npm run count -- --detector`), tune_report.json and
 * held-out/ (results.csv, detections.csv, count_eval.json).
 */
import { join } from 'node:path';
import { FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { DEFAULT_RECORDING_ROLES, parseRecordingsPattern } from '../lib/data/recordings.ts';
import { runTuneDetector } from '../lib/pipeline/tuneDetector.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';

const regex = (flag: string) => (value: string) => parseRecordingsPattern(flag, value);

const program = newCommand('tune-detector', 'Tune the call detector by cross-validation over recordings; report it on held-out recordings')
  .requiredOption('--model <dir>', 'model folder written by `npm run experiment`')
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/tune-detector/<timestamp>/)'))
  .option('--tune <regex>', `recordings to tune on (default: the field recordings ${DEFAULT_RECORDING_ROLES.field.source})`, regex('--tune'), DEFAULT_RECORDING_ROLES.field)
  .option('--test <regex>', `held-out recordings to report on (default ${DEFAULT_RECORDING_ROLES.holdout.source})`, regex('--test'), DEFAULT_RECORDING_ROLES.holdout)
  .option('--folds <n>', 'cross-validation folds over the tuning recordings', parsePositiveInt('--folds'), 5)
  .option('--workers <n>', 'worker threads', parsePositiveInt('--workers'));

await runMain(async () => {
  const o = program.parse().opts<{ model: string; data?: string; out?: string; tune: RegExp; test: RegExp; folds: number; workers?: number }>();
  const dataDir = resolveDataDir(o.data);
  await runTuneDetector({
    modelDir: o.model,
    dataDir,
    recordingsDir: join(dataDir, FOREST_DIR),
    outDir: o.out ?? defaultOutDir('tune-detector'),
    tunePattern: o.tune,
    testPattern: o.test,
    folds: o.folds,
    concurrency: o.workers,
  });
});
