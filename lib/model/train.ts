/**
 * Train one classifier: Adam + binary cross-entropy (class-weighted), one `model.fit` epoch at a
 * time so that augmentation can draw a fresh training set every epoch, early stopping on the
 * validation loss that restores the best weights.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../util/random.ts';
import { adam } from './backend/fusedAdam.ts';
import type { TrainConfig } from './trainConfig.ts';
import { balancedClassWeights, lossAndAccuracy, type LabelledSet } from './tensorData.ts';

export interface EpochRecord {
  epoch: number;
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
  seconds: number;
}

export interface TrainHooks {
  /** A fresh (augmented) training set for this epoch; default: the training set as is. */
  epochData?: (epoch: number) => LabelledSet;
  onEpoch?: (record: EpochRecord) => void;
  onBatch?: (epoch: number, batch: number, batches: number, loss: number) => void;
}

export interface TrainResult {
  model: tf.LayersModel;
  history: EpochRecord[];
  /** 1-based epoch whose weights the model holds. */
  bestEpoch: number;
}

/** The set with its examples in a seeded random order. */
export function shuffled(set: LabelledSet, seed: number): LabelledSet {
  const order = createRng(seed).shuffle(Array.from({ length: set.n }, (_, i) => i));
  const size = set.frames * set.bins;
  const x = new Float32Array(set.x.length);
  const y = new Float32Array(set.n);
  order.forEach((from, to) => {
    x.set(set.x.subarray(from * size, (from + 1) * size), to * size);
    y[to] = set.y[from];
  });
  return { ...set, x, y };
}

export function toInputTensor(set: Pick<LabelledSet, 'x' | 'n' | 'frames' | 'bins'>): tf.Tensor4D {
  return tf.tensor4d(set.x, [set.n, set.frames, set.bins, 1]);
}

/** model.predict's batch: predictScores runs the same batches, so its scores are predict's bit for bit. */
const PREDICT_BATCH = 32;

/**
 * Scores of a set, predicted in batches so memory stays bounded. Each batch of `batchSize` runs in model.predict's
 * sub-batches of 32, through model.execute: predict would slice each sub-batch out of the batch's tensor, and
 * tfjs-backend-wasm's Slice copies the whole input into a fresh array to do it (a page fault per 4 KB, slow in the
 * browser: the web bench's allocation row).
 */
export function predictScores(
  model: tf.LayersModel,
  set: Pick<LabelledSet, 'x' | 'n' | 'frames' | 'bins'>,
  batchSize = 64,
): Float32Array {
  const out = new Float32Array(set.n);
  const size = set.frames * set.bins;
  const output = model.outputs[0].name;
  for (let start = 0; start < set.n; start += batchSize) {
    const end = Math.min(start + batchSize, set.n);
    for (let from = start; from < end; from += PREDICT_BATCH) {
      const count = Math.min(PREDICT_BATCH, end - from);
      const scores = tf.tidy(() => {
        const x = tf.tensor4d(set.x.subarray(from * size, (from + count) * size), [count, set.frames, set.bins, 1]);
        return (model.execute(x, output) as tf.Tensor).reshape([count]);
      });
      out.set(scores.dataSync() as Float32Array, from);
      scores.dispose();
    }
  }
  return out;
}

/**
 * When the model starts with a BatchNorm on its input (the architectures' 'inputNorm'), set its
 * moving mean and variance to the training set's, so inference is well scaled from the first epoch
 * (features are dB in [-80, 0] or raw magnitudes, far from the initial 0/1).
 */
export function initInputNormalization(model: tf.LayersModel, train: LabelledSet): void {
  const first = model.layers[0];
  if (first?.getClassName() !== 'BatchNormalization') return;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < train.x.length; i++) {
    sum += train.x[i];
    sumSq += train.x[i] * train.x[i];
  }
  const mean = sum / train.x.length;
  const variance = Math.max(1e-6, sumSq / train.x.length - mean * mean);
  const weights = first.getWeights();
  const names = first.weights.map((w) => w.originalName ?? w.name);
  const values = weights.map((w, i) => {
    if (/moving_mean/.test(names[i])) return tf.fill(w.shape, mean);
    if (/moving_variance/.test(names[i])) return tf.fill(w.shape, variance);
    return w;
  });
  first.setWeights(values);
  values.forEach((v, i) => v !== weights[i] && v.dispose());
}

/** The learning rate of a 1-based epoch out of `epochs` under the config's schedule. */
export function learningRateAt(cfg: TrainConfig, epoch: number, epochs: number): number {
  if (cfg.lrSchedule === 'constant' || epochs <= 1) return cfg.learningRate;
  const low = cfg.learningRate * cfg.finalLearningRateFraction;
  return low + 0.5 * (cfg.learningRate - low) * (1 + Math.cos((Math.PI * (epoch - 1)) / (epochs - 1)));
}

/**
 * Train `model` (uncompiled, fresh weights) on `train`. With `validation` and cfg.earlyStopping,
 * stop after `cfg.patience` epochs without a lower validation loss and restore the best weights;
 * otherwise train exactly `epochs` epochs (validation, when given, is only recorded).
 */
export async function trainClassifier(
  model: tf.LayersModel,
  train: LabelledSet,
  validation: LabelledSet | null,
  cfg: TrainConfig,
  hooks: TrainHooks = {},
  epochs = cfg.maxEpochs,
): Promise<TrainResult> {
  initInputNormalization(model, train);
  const optimizer = adam(cfg.learningRate);
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const stopEarly = validation !== null && cfg.earlyStopping;
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as tf.Tensor[] | null };
  let sinceBest = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = Date.now();
    // Adam reads its learningRate field at every step
    (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(cfg, epoch, epochs);
    // tfjs' own shuffle draws from Math.random: shuffle here with the config's seed instead, so a
    // run is reproducible.
    const data = shuffled(hooks.epochData ? hooks.epochData(epoch) : train, cfg.seed * 7919 + epoch);
    // from this epoch's labels: field windows drawn afresh change the class balance
    const classWeight = cfg.classWeights === 'balanced' ? balancedClassWeights(data.y) : undefined;
    const xs = toInputTensor(data);
    const ys = tf.tensor2d(data.y, [data.n, 1]);
    const batches = Math.ceil(data.n / cfg.batchSize);
    let fitLoss = NaN;
    let fitAcc = NaN;
    try {
      const h = await model.fit(xs, ys, {
        epochs: 1,
        batchSize: cfg.batchSize,
        shuffle: false,
        classWeight,
        verbose: 0,
        callbacks: {
          onBatchEnd: async (batch, logs) => hooks.onBatch?.(epoch, batch + 1, batches, Number(logs?.loss ?? NaN)),
        },
      });
      fitLoss = Number(h.history.loss[0]);
      fitAcc = Number((h.history.acc ?? h.history.accuracy)?.[0] ?? NaN);
    } finally {
      xs.dispose();
      ys.dispose();
    }
    const record: EpochRecord = { epoch, loss: fitLoss, acc: fitAcc, seconds: 0 };
    if (validation) {
      const v = lossAndAccuracy(validation.y, predictScores(model, validation));
      record.val_loss = v.loss;
      record.val_acc = v.acc;
      if (stopEarly && v.loss < best.loss - Math.max(cfg.minDelta, 1e-9)) {
        best.weights?.forEach((w) => w.dispose());
        best = { loss: v.loss, epoch, weights: model.getWeights().map((w) => w.clone()) };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
    }
    record.seconds = (Date.now() - started) / 1000;
    history.push(record);
    hooks.onEpoch?.(record);
    if (!Number.isFinite(fitLoss)) throw new Error(`training diverged at epoch ${epoch} (loss ${fitLoss}); lower train.learningRate`);
    if (stopEarly && sinceBest >= cfg.patience) break;
  }

  if (best.weights) {
    model.setWeights(best.weights);
    best.weights.forEach((w) => w.dispose());
  }
  return { model, history, bestEpoch: stopEarly ? best.epoch : history.length };
}
