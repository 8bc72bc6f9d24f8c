/**
 * MaxPool and MaxPoolGrad on the addon (pool.cc), NHWC float32, with the tfjs cpu backend's rules (NaN
 * never wins the maximum; the gradient goes to the first maximum of each window, so ties and overlapping
 * windows give what tf.grad gives on cpu). The gradient replaces the JIT loop of
 * ../wasmKernels/MaxPoolGrad.ts (measured 23.5 ms of a 187 ms compact-cnn step), which stays the
 * fallback; the forward replaces XNNPACK's, whose thread pool then stays out of the training step
 * (see ../README.md, "Native kernels").
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.ts';
import { type KernelArgs, type NativeKernelContext, fallback, heapOf, heapOffset, params } from './heap.ts';

const shapeParams = (info: tf.backend_util.Conv2DInfo): number[] => [
  info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
  info.effectiveFilterHeight, info.effectiveFilterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
];

export function makePoolKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
  const maxPool = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolAttrs;
    if (x.dtype !== 'float32' || x.shape.length !== 4) return fallback(ctx.previous(tf.MaxPool), tf.MaxPool, args);
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const backend = args.backend;
    const y = backend.makeOutput(info.outShape, 'float32');
    if (tf.util.sizeFromShape(info.outShape) === 0) return y;
    addon.maxPool(heapOf(backend), params(ctx.threads, [heapOffset(backend, x), heapOffset(backend, y), -1, -1, ...shapeParams(info)]));
    return y;
  };
  const maxPoolGrad = (args: KernelArgs): tf.TensorInfo => {
    const { dy, input, output } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (input.dtype !== 'float32' || input.shape.length !== 4) return fallback(ctx.previous(tf.MaxPoolGrad), tf.MaxPoolGrad, args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const backend = args.backend;
    const dx = backend.makeOutput(input.shape, 'float32');
    if (tf.util.sizeFromShape(input.shape) === 0) return dx;
    addon.maxPoolGrad(heapOf(backend), params(ctx.threads, [
      heapOffset(backend, dy), heapOffset(backend, input), heapOffset(backend, output), heapOffset(backend, dx), ...shapeParams(info)]));
    return dx;
  };
  return [
    { kernelName: tf.MaxPool, backendName: 'wasm', kernelFunc: maxPool as unknown as tf.KernelFunc },
    { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as unknown as tf.KernelFunc },
  ];
}
