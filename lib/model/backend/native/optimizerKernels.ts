/**
 * CapuchinAdam: one Adam update of one variable on the addon (optimizer.cc), three outputs (value, m, v)
 * from one call where tfjs-core's AdamOptimizer issues ~14 kernels. ../fusedAdam.ts calls it.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.ts';
import { type KernelArgs, type NativeKernelContext, floatBits, heapOf, heapOffset, params } from './heap.ts';

export const ADAM_KERNEL = 'CapuchinAdam';

/** Attributes of CapuchinAdam; the factors are the float32 scalars tfjs-core multiplies by. */
export interface AdamKernelAttrs {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  epsilon: number;
  minusLearningRate: number;
}

export function makeOptimizerKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
  const adam = (args: KernelArgs): tf.TensorInfo[] => {
    const { value, m, v, gradient, accBeta1, accBeta2 } = args.inputs as Record<string, tf.TensorInfo>;
    const a = args.attrs as unknown as AdamKernelAttrs;
    for (const t of [value, m, v, gradient]) {
      if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, value.shape)) throw new Error(`${ADAM_KERNEL}: value, m, v and gradient must be float32 of one shape`);
    }
    const backend = args.backend;
    const outs = [backend.makeOutput(value.shape, 'float32'), backend.makeOutput(value.shape, 'float32'), backend.makeOutput(value.shape, 'float32')];
    const size = tf.util.sizeFromShape(value.shape);
    if (size > 0) {
      addon.adam(heapOf(backend), params(ctx.threads, [
        ...[value, m, v, gradient, ...outs, accBeta1, accBeta2].map((t) => heapOffset(backend, t)), size,
        ...[a.beta1, a.beta2, a.oneMinusBeta1, a.oneMinusBeta2, a.epsilon, a.minusLearningRate].map(floatBits)]));
    }
    return outs;
  };
  return [{ kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adam as unknown as tf.KernelFunc }];
}
