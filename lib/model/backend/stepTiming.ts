/** Time Adam training steps of a registered architecture on the current tfjs backend (for the bench). */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../architectures/index.ts';
import { adam } from './fusedAdam.ts';

export interface StepTimingOptions {
  batchSize?: number;
  /** timed steps (the median is reported) */
  steps?: number;
  /** untimed steps first (kernel setup, XNNPACK operator creation, JIT) */
  warmup?: number;
  seed?: number;
}

export interface StepTiming {
  medianSeconds: number;
  seconds: number[];
  /** median process CPU time per step (≈ wall × threads when nothing else runs) */
  medianCpuSeconds: number;
  examplesPerSecond: number;
}

/** The middle value (the upper one of an even count), the timings' summary. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One step = model.trainOnBatch of a random batch, binary cross-entropy, Adam(1e-3). */
export async function timeTrainingStep(architecture: string, inputShape: [number, number], opts: StepTimingOptions = {}): Promise<StepTiming> {
  const batchSize = opts.batchSize ?? 32;
  const steps = opts.steps ?? 5;
  const model = buildModel(architecture, inputShape, { seed: opts.seed ?? 42 });
  model.compile({ optimizer: adam(1e-3), loss: 'binaryCrossentropy' });
  const x = tf.randomNormal([batchSize, inputShape[0], inputShape[1], 1], -40, 20, 'float32', opts.seed ?? 42);
  const y = tf.tensor2d(Array.from({ length: batchSize }, (_, i) => [i % 2]));
  try {
    for (let i = 0; i < (opts.warmup ?? 2); i++) await model.trainOnBatch(x, y);
    const seconds: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < steps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await model.trainOnBatch(x, y);
      seconds.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
    }
    const medianSeconds = median(seconds);
    return { medianSeconds, seconds, medianCpuSeconds: median(cpu), examplesPerSecond: batchSize / medianSeconds };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
