/** Helpers shared by the wasm training kernels: they are written with tf ops, which run on wasm's own (XNNPACK) kernels. */
import * as tf from '@tensorflow/tfjs';

/** The engine hands kernels Tensors; anything else (a bare TensorInfo) is wrapped without copying. */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

export type Pair = [number, number];

export function pair(v: number | number[]): Pair {
  return typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];
}

export function assertChannelsLast(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`capuchin wasm ${kernel}: dataFormat '${dataFormat}' is not supported; use channels-last (NHWC) layers`);
  }
}
