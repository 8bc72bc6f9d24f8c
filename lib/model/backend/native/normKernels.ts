/**
 * FusedBatchNorm (the forward of tf.batchNorm, which BatchNormalization layers and the input
 * normalisation call) on the addon (norm.cc), float32, each of mean / variance / offset / scale either
 * one value or one per channel of the last axis. The stock wasm kernel takes ~7 ms for [32, 75, 48, 16], this
 * ~0.5 ms (`npm run bench -- --only kernels`, row 'FusedBatchNorm'); other parameter shapes go to it.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.ts';
import { BATCH_NORM_GRAD_KERNEL } from './gradients.ts';
import { type KernelArgs, type NativeKernelContext, fallback, floatBits, heapOf, heapOffset, params } from './heap.ts';

export function makeNormKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
  const batchNorm = (args: KernelArgs): tf.TensorInfo => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
    const channels = x!.shape.length > 0 ? x!.shape[x!.shape.length - 1] : 1;
    const size = tf.util.sizeFromShape(x!.shape);
    const lengthOf = (t: tf.TensorInfo | undefined) => (t ? tf.util.sizeFromShape(t.shape) : 1);
    const parts = [x, mean, variance, offset, scale].filter((t): t is tf.TensorInfo => t !== undefined);
    const covered = channels > 0 && parts.every((t) => t.dtype === 'float32')
      && [mean, variance, offset, scale].every((t) => lengthOf(t) === 1 || lengthOf(t) === channels);
    if (!covered) return fallback(ctx.previous(tf.FusedBatchNorm), tf.FusedBatchNorm, args);
    const backend = args.backend;
    const y = backend.makeOutput(x!.shape, 'float32');
    if (size === 0) return y;
    addon.batchNorm(heapOf(backend), params(ctx.threads, [
      heapOffset(backend, x), heapOffset(backend, mean), heapOffset(backend, variance), heapOffset(backend, offset), heapOffset(backend, scale),
      heapOffset(backend, y), size, channels, lengthOf(mean), lengthOf(variance), lengthOf(offset), lengthOf(scale), floatBits(varianceEpsilon)]));
    return y;
  };
  // [dx, dmean, dvariance, dscale, doffset] for per-channel mean and variance (gradients.ts checks the shapes)
  const batchNormGrad = (args: KernelArgs): tf.TensorInfo[] => {
    const { dy, x, mean, variance, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
    const channels = mean!.shape[0];
    const backend = args.backend;
    const outs = [backend.makeOutput(x!.shape, 'float32'), ...[0, 1, 2, 3].map(() => backend.makeOutput([channels], 'float32'))];
    const size = tf.util.sizeFromShape(x!.shape);
    if (size === 0) {
      for (const o of outs.slice(1)) (backend.typedArrayFromHeap(o) as Float32Array).fill(0);
      return outs;
    }
    addon.batchNormGrad(heapOf(backend), params(ctx.threads, [
      ...[dy, x, mean, variance, scale, ...outs].map((t) => heapOffset(backend, t)), size, channels, floatBits(varianceEpsilon), scale ? tf.util.sizeFromShape(scale.shape) : 1]));
    return outs;
  };
  return [
    { kernelName: tf.FusedBatchNorm, backendName: 'wasm', kernelFunc: batchNorm as unknown as tf.KernelFunc },
    { kernelName: BATCH_NORM_GRAD_KERNEL, backendName: 'wasm', kernelFunc: batchNormGrad as unknown as tf.KernelFunc },
  ];
}
