/**
 * `npm run demo [-- --out DIR]`: the whole job on the embedded sample (data/sample), in about a minute.
 *   1. count the sample's forest excerpt with the shipped model (models/default) and its tuned
 *      detector, scored against the excerpt's 3 labelled calls: the result a user gets;
 *   2. train and cross-validate a quick model on the sample's 20 clips (the `demo` config), to show
 *      the training pipeline and its report. Twenty clips make a weak model: its numbers say the
 *      pipeline runs, not how good the method is (models/default/MODEL.md has those).
 */
import { join } from 'node:path';
import { ARTIFACTS_DIR, DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../lib/data/paths.ts';
import { loadExperimentConfig } from '../lib/model/experimentConfig.ts';
import { runCount } from '../lib/pipeline/count.ts';
import { runExperiment } from '../lib/pipeline/experiment.ts';
import { countEvalTable } from '../lib/report/countEvalTable.ts';
import { newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';

const program = newCommand('demo', 'Count the embedded sample with the shipped model, then train a quick model on the sample')
  .addOption(outOption('output folder (default artifacts/demo/)'))
  .option('--workers <n>', 'worker threads (default: CPU cores)', parsePositiveInt('--workers'));

await runMain(async () => {
  const o = program.parse().opts<{ out?: string; workers?: number }>();
  const out = o.out ?? join(ARTIFACTS_DIR, 'demo');
  const log = (line: string) => process.stderr.write(line + '\n');

  log(`== 1/2 counting ${join(SAMPLE_DATA_DIR, FOREST_DIR)} with the shipped model ${DEFAULT_MODEL_DIR}`);
  const count = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: join(SAMPLE_DATA_DIR, FOREST_DIR), outDir: join(out, 'count'), dataDir: SAMPLE_DATA_DIR, concurrency: o.workers, log });
  if (count.evaluation) log(countEvalTable(count.evaluation.all));

  log(`== 2/2 training a quick model on the sample's clips (the pipeline on 20 clips; see models/default/MODEL.md for real numbers)`);
  const config = loadExperimentConfig(new URL('./configs/demo.json', import.meta.url).pathname);
  const run = await runExperiment(config, { dataDir: SAMPLE_DATA_DIR, outDir: join(out, 'train'), concurrency: o.workers, log });

  const calls = count.results.map((r) => `${r.recording}: ${r.count ?? 'failed'} call(s) at ${r.events.map((e) => `${e.start_s.toFixed(1)} s`).join(', ')}`);
  log(`\ndemo done → ${out}`);
  log(`  count/results.csv, detections.csv, review.html — the shipped model: ${calls.join('; ')}`);
  log(`  train/report.html, metrics.json, model/ — the quick model: out-of-fold ROC-AUC ${run.result.metrics.roc_auc.toFixed(3)} on ${run.result.nClips} clips`);
});
