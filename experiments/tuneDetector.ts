/**
 * `npm run tune-detector -- --model MODEL_DIR [--data DIR] [--out DIR] [--field-recordings RE] [--holdout-recordings RE] [--folds N]`
 * Chooses the detector's post-processing by cross-validation over the field recordings (default
 * recording_00–39) and reports it on the held-out recordings (default 40–49), both taken through the
 * protocol's roles (lib/data/roles.ts: a name in two roles is refused; evaluation recordings never read), with
 * the model's final weights. `npm run experiment` already tunes on the folds' out-of-fold tracks and
 * saves the result as the model's detector.json; this command re-tunes an existing model.
 * Writes detector_config.json (use it with `npm run count -- --detector`), tune_report.json and
 * held-out/ (results.csv, detections.csv, count_eval.json).
 */
import { Option } from 'commander';
import { join } from 'node:path';
import { FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { runTuneDetector } from '../lib/pipeline/tuneDetector.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, recordingRoleOptions, resolveRoles, runMain, type RoleFlags } from './cli.ts';

/** The regex flags the roles replaced: refused with the flag to use, never silently tuning on held-out recordings. */
const replaced = (flag: string, by: string) => () => {
  throw new Error(`${flag} is gone: tune-detector takes its recordings through the protocol's roles. Fix: use ${by} (a recording in two roles is refused).`);
};

const program = newCommand('tune-detector', 'Tune the call detector by cross-validation over recordings; report it on held-out recordings')
  .requiredOption('--model <dir>', 'model folder written by `npm run experiment`')
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/tune-detector/<timestamp>/)'))
  .addOption(new Option('--tune <regex>').hideHelp().argParser(replaced('--tune', '--field-recordings')))
  .addOption(new Option('--test <regex>').hideHelp().argParser(replaced('--test', '--holdout-recordings')))
  .option('--folds <n>', 'cross-validation folds over the tuning recordings', parsePositiveInt('--folds'), 5)
  .option('--workers <n>', 'worker threads', parsePositiveInt('--workers'));
recordingRoleOptions(program);

await runMain(async () => {
  const o = program.parse().opts<{ model: string; data?: string; out?: string; folds: number; workers?: number } & RoleFlags>();
  const dataDir = resolveDataDir(o.data);
  await runTuneDetector({
    modelDir: o.model,
    dataDir,
    recordingsDir: join(dataDir, FOREST_DIR),
    outDir: o.out ?? defaultOutDir('tune-detector'),
    roles: resolveRoles(o),
    folds: o.folds,
    concurrency: o.workers,
  });
});
