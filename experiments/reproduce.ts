/**
 * `npm run reproduce -- --data DIR [--model MODEL_DIR] [--out DIR] [--workers N] [--degraded DIR]`
 * Retrains the shipped model's configuration from the Kaggle data (DIR, the Kaggle layout) and the repository's
 * labels (data/labels/), tunes its detector on the field folds, counts recordings 00–49 and prints every figure
 * recorded for the shipped model (models/default/figures.json) beside the reproduced one. Exit 0 when every
 * figure is within its stated range, 1 when one is not (or the run could not be made).
 */
import { DEFAULT_MODEL_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { runReproduce } from '../lib/pipeline/reproduce.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';

const program = newCommand('reproduce', "Retrain the shipped model's configuration and compare every figure with the recorded one")
  .addOption(dataOption())
  .option('--model <dir>', 'the model whose recorded figures (figures.json) are reproduced', DEFAULT_MODEL_DIR)
  .addOption(outOption('output folder (default artifacts/reproduce/<timestamp>/)'))
  .option('--workers <n>', 'worker threads', parsePositiveInt('--workers'))
  .option('--degraded <dir>', 'degraded copies of the field recordings (npm run degrade): their field CV is reported too');

await runMain(async () => {
  const o = program.parse().opts<{ data?: string; model: string; out?: string; workers?: number; degraded?: string }>();
  if (!o.data && !process.env.CAPUCHIN_DATA) throw new Error('reproduce needs the Kaggle data set. Fix: pass --data DIR (README "Data" says where to download it)');
  const started = Date.now();
  const { ok, rows } = await runReproduce({ dataDir: resolveDataDir(o.data), modelDir: o.model, outDir: o.out ?? defaultOutDir('reproduce'), concurrency: o.workers, degradedDir: o.degraded });
  const failed = rows.filter((r) => !r.ok).map((r) => r.name);
  process.stderr.write(`reproduce: ${ok ? 'every figure within its range' : `outside their range: ${failed.join(', ')}`} (${((Date.now() - started) / 60000).toFixed(1)} min)\n`);
  if (!ok) process.exitCode = 1;
});
