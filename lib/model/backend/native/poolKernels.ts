/**
 * MaxPoolGrad on the addon (pool.cc): the first-max rule of the tfjs cpu backend, so ties and
 * overlapping windows give what tf.grad gives on cpu, threaded over the batch. Replaces the JIT loop of
 * ../wasmKernels/MaxPoolGrad.ts (measured 23.5 ms of a 187 ms compact-cnn step), which stays the fallback.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.ts';
import { type KernelArgs, type NativeKernelContext, fallback, heapOf, heapOffset, params } from './heap.ts';

export function makePoolKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
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
      heapOffset(backend, dy), heapOffset(backend, input), heapOffset(backend, output), heapOffset(backend, dx),
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.effectiveFilterHeight, info.effectiveFilterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
    ]));
    return dx;
  };
  return [{ kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as unknown as tf.KernelFunc }];
}
