/** Turn a layer list into a tfjs model with input [frames, bins, 1], every initializer seeded. */
import * as tf from '@tensorflow/tfjs';
import { layerCosts, type LayerSpec } from './spec.ts';

export interface BuildOptions {
  /** seed for every kernel initializer and dropout mask (layer i uses seed + i) */
  seed?: number;
}

/**
 * Moving-average momentum of every BatchNorm. Keras' 0.99 needs ~500 steps to forget its initial
 * statistics; a fold here trains ~10 steps an epoch, and validation (inference mode) saw a model that
 * predicted one class for 10+ epochs. 0.9 converges within ~2 epochs.
 */
export const BN_MOMENTUM = 0.9;

function toLayer(layer: LayerSpec, seed: number, inputShape?: number[]): tf.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  switch (layer.kind) {
    case 'inputNorm':
      // moving statistics are set from the training data before training (lib/model/train.ts)
      return tf.layers.batchNormalization({ ...first, axis: -1, trainable: false, momentum: BN_MOMENTUM });
    case 'batchNorm':
      return tf.layers.batchNormalization({ ...first, axis: -1, momentum: BN_MOMENTUM });
    case 'conv':
      return tf.layers.conv2d({
        ...first,
        filters: layer.filters,
        kernelSize: layer.kernel,
        strides: layer.strides ?? [1, 1],
        padding: layer.padding,
        activation: layer.activation ?? 'linear',
        useBias: layer.useBias ?? true,
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      });
    case 'relu':
      return tf.layers.activation({ ...first, activation: 'relu' });
    case 'maxPool':
      return tf.layers.maxPooling2d({ ...first, poolSize: layer.pool, strides: layer.pool, padding: 'valid' });
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d({ ...first });
    case 'globalMaxPool':
      return tf.layers.globalMaxPooling2d({ ...first });
    case 'dropout':
      return tf.layers.dropout({ ...first, rate: layer.rate, seed });
    case 'flatten':
      return tf.layers.flatten({ ...first });
    case 'dense':
      return tf.layers.dense({
        ...first,
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      });
  }
}

/** An uncompiled tf.Sequential; throws (naming the layer) when the input is too small for `layers`. */
export function buildFromSpec(name: string, layers: readonly LayerSpec[], inputShape: [number, number], opts: BuildOptions = {}): tf.Sequential {
  layerCosts(layers, inputShape); // validates shapes with a readable message before tfjs does
  const seed = opts.seed ?? 42;
  const model = tf.sequential({ name: name.replace(/[^A-Za-z0-9_]/g, '_') });
  layers.forEach((layer, i) => model.add(toLayer(layer, seed + i, i === 0 ? [inputShape[0], inputShape[1], 1] : undefined)));
  return model;
}
