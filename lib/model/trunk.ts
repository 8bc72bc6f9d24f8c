/**
 * A classifier that ends in global average pooling, split so its convolutional trunk can run ONCE over a
 * long recording's feature frames instead of once per overlapping window (windows of 3 s every 0.5 s
 * repeat each frame's convolutions six times).
 *
 *   score(window) = sigmoid(w · mean over the window's pooled positions of trunk(x) + b)
 *                 = sigmoid(mean over positions p of z[p] + b),   z[p] = mean over bins of trunk(x)[p] · w
 *
 * so `projectedTrunk` returns one number per `timeStride` frames of the recording, and a window's score is
 * the mean of its positions' z plus the bias. This is an approximation of the per-window score, not the
 * same number: over a long signal the convolutions see the real neighbours where a window sees its zero
 * padding, the window's positions fall on the trunk's grid only to within timeStride / 2 frames, and the
 * input is normalised over the stream instead of per window (lib/detect/screen.ts uses it to screen windows
 * and scores every window that matters exactly).
 *
 * Supported: BatchNormalization, Conv2D with 'same' padding, and MaxPooling2D / AveragePooling2D with
 * 'valid' padding and pool = strides (non-overlapping), then GlobalAveragePooling2D, optional Dropout,
 * and Dense(1, sigmoid). Anything else returns null from `splitPooledModel` (the caller scores per window).
 */
import * as tf from '@tensorflow/tfjs';

export interface PooledModelSplit {
  /** Frames per trunk output position (the product of the time strides). */
  readonly timeStride: number;
  /** Input frames that one output position depends on (its receptive field along time). */
  readonly receptiveFrames: number;
  /** The dense layer's bias (the head is sigmoid(mean z + bias)). */
  readonly bias: number;
  /**
   * z for a block of frames [rows, bins] (already normalised as the model's input): one value per
   * timeStride frames, floor(rows / timeStride) of them. `rows` must be even when the first conv
   * strides 2 in time, so 'same' padding puts output row r over input rows [2r, 2r + 2] in every block.
   */
  projectedTrunk(frames: Float32Array, rows: number, bins: number): Float32Array;
  /** Free the head's weight tensor (the model's own layers stay with the model). */
  dispose(): void;
}

type Pair = [number, number];
const pair = (v: unknown): Pair => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)]);

/** Split `model` at its global average pooling, or null when its layers are not the supported kind. */
export function splitPooledModel(model: tf.LayersModel): PooledModelSplit | null {
  const layers = model.layers;
  const gap = layers.findIndex((l) => l.getClassName() === 'GlobalAveragePooling2D');
  if (gap < 1) return null;
  const tail = layers.slice(gap + 1).filter((l) => l.getClassName() !== 'Dropout');
  if (tail.length !== 1 || tail[0].getClassName() !== 'Dense') return null;
  const denseConfig = tail[0].getConfig();
  if (denseConfig.units !== 1 || denseConfig.activation !== 'sigmoid' || denseConfig.useBias === false) return null;

  // Walk the trunk: strides along time and the receptive field (in input frames).
  let jump = 1;
  let receptive = 1;
  let firstTimeStride = 0;
  for (const layer of layers.slice(0, gap)) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    if (kind === 'BatchNormalization') continue;
    if (kind === 'Conv2D') {
      const kernel = pair(config.kernelSize);
      const strides = pair(config.strides);
      const dilation = pair(config.dilationRate ?? 1);
      if (config.padding !== 'same' || dilation[0] !== 1 || config.dataFormat === 'channelsFirst') return null;
      receptive += (kernel[0] - 1) * jump;
      if (firstTimeStride === 0) firstTimeStride = strides[0];
      jump *= strides[0];
    } else if (kind === 'MaxPooling2D' || kind === 'AveragePooling2D') {
      const pool = pair(config.poolSize);
      const strides = pair(config.strides ?? config.poolSize);
      if (config.padding !== 'valid' || pool[0] !== strides[0] || pool[1] !== strides[1]) return null;
      receptive += (pool[0] - 1) * jump;
      if (firstTimeStride === 0) firstTimeStride = 1;
      jump *= strides[0];
    } else {
      return null;
    }
  }
  if (firstTimeStride > 2) return null;
  const trunk = layers.slice(0, gap);
  const [kernel, biasTensor] = tail[0].getWeights();
  const w = tf.tensor1d(kernel.dataSync() as Float32Array); // [channels, 1] → [channels]
  const bias = biasTensor.dataSync()[0];
  const needsEven = firstTimeStride === 2;
  const timeStride = jump;
  return {
    timeStride,
    receptiveFrames: receptive,
    bias,
    projectedTrunk(frames, rows, bins) {
      if (needsEven && rows % 2 !== 0) throw new RangeError(`projectedTrunk: rows must be even for this model, got ${rows}`);
      if (rows < timeStride) return new Float32Array(0);
      const z = tf.tidy(() => {
        let x: tf.Tensor = tf.tensor4d(frames.subarray(0, rows * bins), [1, rows, bins, 1]);
        for (const layer of trunk) x = layer.apply(x, { training: false }) as tf.Tensor;
        return x.mul(w).sum(3).mean(2).reshape([-1]); // [1, T', F', C] → [T']
      });
      const out = z.dataSync() as Float32Array;
      z.dispose();
      return out.slice(0, Math.floor(rows / timeStride));
    },
    dispose: () => w.dispose(),
  };
}
