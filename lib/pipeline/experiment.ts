/**
 * One experiment end to end: load the clips (through the feature cache), cross-validate with
 * stratified group folds, summarise the out-of-fold predictions with bootstrap intervals, train
 * and save the final model, and write the report files. Used by `npm run experiment` and by the
 * training notebook, so both do exactly the same thing.
 */
import { join, relative } from 'node:path';
import { needsWaveforms } from '../data/augment-config.ts';
import { loadClipDataset } from '../data/load.ts';
import { summarize } from '../evaluate/summarize.ts';
import { estimateCost } from '../model/architectures/index.ts';
import { selectBackend, type BackendInfo, type BackendName } from '../model/backend/select.ts';
import { crossValidate, type CrossValidationResult } from '../model/crossValidate.ts';
import type { ExperimentConfig } from '../model/experimentConfig.ts';
import type { ExperimentResult } from '../report/types.ts';
import { writeExperimentReport } from '../report/writeExperiment.ts';
import { writeJsonAtomic } from '../util/atomic.ts';

export interface RunExperimentOptions {
  dataDir: string;
  outDir: string;
  backend?: BackendName;
  allowCpuTraining?: boolean;
  /** Allow architectures whose cost needs a flag on CPU (seed-cnn on linear spectrograms). */
  allowLargeModel?: boolean;
  concurrency?: number;
  cacheDir?: string | false;
  /** Train and save the final model (default true). */
  finalModel?: boolean;
  bootstrap?: number;
  log?: (line: string) => void;
}

export interface ExperimentRun {
  result: ExperimentResult;
  cv: CrossValidationResult;
  backend: BackendInfo;
  outDir: string;
  modelDir: string | null;
  skipped: { file: string; reason: string; message: string }[];
}

/** Parameters × FLOPs above which a model needs --allow-large-model on a CPU backend. */
const LARGE_MODEL_PARAMS = 5_000_000;

export async function runExperiment(config: ExperimentConfig, opts: RunExperimentOptions): Promise<ExperimentRun> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const backend = await selectBackend({ force: opts.backend, allowCpuTraining: opts.allowCpuTraining, log });
  log(`experiment ${config.name}: ${config.description}`);

  const dataset = await loadClipDataset(opts.dataDir, config.feature, {
    cacheDir: opts.cacheDir,
    waveforms: needsWaveforms(config.augment),
  });
  for (const s of dataset.skipped) log(`  skipped ${s.file}: ${s.message}`);
  const [n, frames, bins] = dataset.shape;
  log(`loaded ${n} clips (${dataset.stats.cacheHits} from cache, ${dataset.stats.decoded} decoded) as ${frames}×${bins} ${config.feature.kind} in ${dataset.stats.seconds.toFixed(1)}s`);

  const cost = estimateCost(config.train.model, [frames, bins]);
  if (cost.params > LARGE_MODEL_PARAMS && !backend.name.startsWith('tensorflow') && !opts.allowLargeModel) {
    throw new Error(
      `capuchin: ${config.train.model} on ${frames}×${bins} inputs has ${(cost.params / 1e6).toFixed(0)} M parameters ` +
        `(~${(cost.bytes / 2 ** 30).toFixed(1)} GiB with Adam state) and would train for hours on the ${backend.name} backend. ` +
        'Fix: pass --allow-large-model to run it anyway, use a GPU (see README: tfjs-node-gpu), or pick compact-cnn.',
    );
  }

  const modelDir = opts.finalModel === false ? null : join(opts.outDir, 'model');
  const cv = await crossValidate(dataset, config, {
    backend: opts.backend,
    allowCpuTraining: opts.allowCpuTraining,
    concurrency: opts.concurrency,
    modelDir: modelDir ?? undefined,
    dataDir: opts.dataDir,
    log,
  });

  const labels = cv.oof.map((o) => o.label);
  const scores = cv.oof.map((o) => o.score);
  const metrics = summarize(labels, scores, cv.threshold, { bootstrap: { n: opts.bootstrap ?? 1000, seed: config.train.seed } });
  const result: ExperimentResult = {
    experiment: config.name,
    feature: config.feature,
    model: { name: config.train.model, params: cv.params },
    backend: { ...backend, trainedOn: cv.backend },
    folds: config.train.folds,
    nClips: n,
    nGroups: new Set(dataset.clips.map((c) => c.group)).size,
    histories: cv.histories,
    oof: cv.oof.map((o) => ({ ...o, file: relative(opts.dataDir, o.file) })),
    threshold: cv.threshold,
    metrics,
    trainSeconds: cv.trainSeconds,
    config: { ...config, finalEpochs: cv.finalEpochs, skipped: dataset.skipped },
  };
  await writeExperimentReport(opts.outDir, result, { dataDir: opts.dataDir });
  writeJsonAtomic(join(opts.outDir, 'config.json'), config);
  log(
    `${config.name}: out-of-fold ROC-AUC ${metrics.roc_auc.toFixed(4)}, PR-AUC ${metrics.pr_auc.toFixed(4)}, ` +
      `F1 ${metrics.f1.toFixed(4)} at threshold ${cv.threshold.toFixed(3)} (${cv.trainSeconds.toFixed(0)} s of training) → ${opts.outDir}`,
  );
  return { result, cv, backend, outDir: opts.outDir, modelDir, skipped: dataset.skipped };
}
