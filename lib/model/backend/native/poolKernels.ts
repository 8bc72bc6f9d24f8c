/**
 * MaxPool and MaxPoolGrad on the addon (pool.cc), NHWC float32, with the tfjs cpu backend's rules (NaN
 * never wins the maximum; the gradient goes to the first maximum of each window, so ties and overlapping
 * windows give what tf.grad gives on cpu). The gradient replaces the JIT loop of
 * ../wasmKernels/MaxPoolGrad.ts (`npm run bench -- --only kernels`, row 'MaxPoolGrad': ~12 ms against ~46 ms), which stays the
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
  /**
   * A float32 output of `outShape` from addon[op], pooling `x` (NHWC float32, else the kernel registered before);
   * `pointers` gives the tensors whose heap offsets lead the params, given the output (-1 where one is absent).
   */
  const pool = (
    op: 'maxPool' | 'maxPoolGrad', name: string, args: KernelArgs, x: tf.TensorInfo,
    outShape: (info: tf.backend_util.Conv2DInfo) => number[], pointers: (out: tf.TensorInfo) => (tf.TensorInfo | null)[],
  ): tf.TensorInfo => {
    if (x.dtype !== 'float32' || x.shape.length !== 4) return fallback(ctx.previous(name), name, args);
    const attrs = args.attrs as unknown as tf.MaxPoolAttrs;
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const backend = args.backend;
    const shape = outShape(info);
    const out = backend.makeOutput(shape, 'float32');
    if (tf.util.sizeFromShape(shape) === 0) return out;
    addon[op](heapOf(backend), params(ctx.threads, [...pointers(out).map((t) => heapOffset(backend, t)), ...shapeParams(info)]));
    return out;
  };
  const maxPool = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return pool('maxPool', tf.MaxPool, args, x, (info) => info.outShape, (y) => [x, y, null, null]);
  };
  const maxPoolGrad = (args: KernelArgs): tf.TensorInfo => {
    const { dy, input, output } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
    return pool('maxPoolGrad', tf.MaxPoolGrad, args, input, () => input.shape, (dx) => [dy, input, output, dx]);
  };
  return [
    { kernelName: tf.MaxPool, backendName: 'wasm', kernelFunc: maxPool as unknown as tf.KernelFunc },
    { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as unknown as tf.KernelFunc },
  ];
}
