/** A synthetic but internally consistent ExperimentResult for tests and demos (no training involved). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../evaluate/bootstrap.ts';
import { summarize } from '../../evaluate/summarize.ts';
import { chooseThreshold } from '../../evaluate/threshold.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../../data/paths.ts';
import type { ExperimentResult, FoldHistory, OofPrediction } from '../types.ts';

export interface SyntheticOptions {
  experiment?: string;
  seed?: number;
  folds?: number;
  nPos?: number;
  nNeg?: number;
  epochs?: number;
  /** Separation of the classes' logit means (bigger = better model). */
  separation?: number;
  bootstrapN?: number;
  params?: number;
  trainSeconds?: number;
}

const listWavs = (dir: string) => readdirSync(join(SAMPLE_DATA_DIR, dir)).filter((f) => f.endsWith('.wav')).sort().map((f) => `${dir}/${f}`);

/** OOF file names cycle through the embedded sample's real clips, so audio players have something to play. */
export function syntheticExperimentResult(options: SyntheticOptions = {}): ExperimentResult {
  const { experiment = 'synthetic-cnn', seed = 1, folds = 3, nPos = 40, nNeg = 80, epochs = 8, separation = 2.2, bootstrapN = 200 } = options;
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const positives = listWavs(POSITIVE_DIR);
  const negatives = listWavs(NEGATIVE_DIR);
  const oof: OofPrediction[] = [];
  for (let i = 0; i < nPos + nNeg; i++) {
    const label = i < nPos ? 1 : 0;
    const pool = label ? positives : negatives;
    const file = pool[i % pool.length];
    const group = file.slice(file.indexOf('/') + 1).replace(/-\d+\.wav$/, '');
    const logit = normal() + (label ? separation / 2 : -separation / 2);
    oof.push({ file, group, label, score: 1 / (1 + Math.exp(-logit)), fold: i % folds });
  }
  const histories: FoldHistory[] = Array.from({ length: folds }, (_, fold) => ({
    fold,
    bestEpoch: Math.max(1, epochs - 2 - (fold % 2)),
    epochs: Array.from({ length: epochs }, (_, e) => ({
      epoch: e + 1,
      loss: 0.7 * Math.exp(-e / 3) + 0.1 + 0.02 * fold,
      acc: Math.min(0.99, 0.6 + 0.05 * e),
      val_loss: 0.72 * Math.exp(-e / 4) + 0.18 + 0.004 * (e - 5) ** 2,
      val_acc: Math.min(0.95, 0.58 + 0.04 * e - 0.01 * fold),
      seconds: 1.5 + 0.1 * fold,
    })),
  }));
  const labels = oof.map((p) => p.label);
  const scores = oof.map((p) => p.score);
  const threshold = chooseThreshold(labels, scores, { metric: 'f1' });
  return {
    experiment,
    feature: { name: 'mel', nMels: 64, hopSamples: 160 },
    model: { name: 'small-cnn', params: options.params ?? 48_321 },
    backend: { name: 'cpu', tfjs: '4.22.0' },
    folds,
    nClips: oof.length,
    nGroups: new Set(oof.map((p) => p.group)).size,
    histories,
    oof,
    threshold,
    metrics: summarize(labels, scores, threshold, { bootstrap: { n: bootstrapN, seed } }),
    trainSeconds: options.trainSeconds ?? histories.reduce((s, h) => s + h.epochs.reduce((t, e) => t + e.seconds, 0), 0),
    config: { epochs, batchSize: 32, learningRate: 0.001, seed },
  };
}
