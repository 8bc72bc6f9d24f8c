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

/**
 * The forward convolution that a gradient kernel (Conv2DBackpropInput / Conv2DBackpropFilter) differentiates: x of
 * `xShape` by a filter of `filterShape`, channels-last only (checked, naming `kernel`), no dilation.
 */
export function backpropConvInfo(kernel: string, attrs: tf.Conv2DBackpropInputAttrs | tf.Conv2DBackpropFilterAttrs, xShape: readonly number[], filterShape: readonly number[]): tf.backend_util.Conv2DInfo {
  assertChannelsLast(kernel, attrs.dataFormat);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}
