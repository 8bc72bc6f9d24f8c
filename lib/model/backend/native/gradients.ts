/**
 * Gradients that call one fused native kernel where tfjs-core chains many. The overrides are global, so
 * on a backend without the kernel (cpu in tests, the browser) and for arguments the kernel does not
 * cover, tfjs-core's own gradient runs unchanged.
 * - ReLU: tfjs-core's mul(dy, cast(step(x))) is three kernels and two passes; CapuchinReluGrad is one
 *   (elementwise.cc, op 4).
 * - FusedBatchNorm with per-channel mean and variance (BatchNormalization layers in training): tfjs-core's
 *   gradient is ~25 kernels and ~10 passes over the activation; CapuchinBatchNormGrad computes all five
 *   gradients in two (norm.cc).
 */
import * as tf from '@tensorflow/tfjs';

export const RELU_GRAD_KERNEL = 'CapuchinReluGrad';
export const BATCH_NORM_GRAD_KERNEL = 'CapuchinBatchNormGrad';

const onThisBackend = (kernel: string) => tf.getKernel(kernel, tf.getBackend()) !== undefined;
const single = (dy: tf.Tensor | tf.Tensor[]) => (Array.isArray(dy) ? dy[0] : dy);

let overridden = false;

/** Call once the kernels are registered for wasm. Idempotent. */
export function registerNativeGradients(): void {
  if (overridden) return;
  const relu = tf.getGradient(tf.Relu);
  const batchNorm = tf.getGradient(tf.FusedBatchNorm);
  if (!relu || !batchNorm) throw new Error('capuchin native: tfjs-core lacks the Relu or FusedBatchNorm gradient this wraps');
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: relu.inputsToSave,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const g = single(dy);
      if (x.dtype !== 'float32' || g.dtype !== 'float32' || !onThisBackend(RELU_GRAD_KERNEL)) return relu.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: g, x }) as tf.Tensor };
    },
  });
  tf.registerGradient({
    kernelName: tf.FusedBatchNorm,
    inputsToSave: batchNorm.inputsToSave,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const g = single(dy);
      const channels = x.shape.length > 0 ? x.shape[x.shape.length - 1] : 0;
      const covered = onThisBackend(BATCH_NORM_GRAD_KERNEL) && channels > 0
        && [g, x, mean, variance, ...(scale ? [scale] : [])].every((t) => t.dtype === 'float32')
        && tf.util.arraysEqual(g.shape, x.shape)
        && mean.rank === 1 && mean.shape[0] === channels && variance.rank === 1 && variance.shape[0] === channels
        && (!scale || scale.size === 1 || scale.size === channels);
      if (!covered) return batchNorm.gradFunc(dy, saved, attrs);
      // all five at once; each closure hands its tensor over (the rest are disposed with the backward pass)
      const [dx, dmean, dvariance, dscale, doffset] = tf.engine().runKernel(
        BATCH_NORM_GRAD_KERNEL, { dy: g, x, mean, variance, ...(scale ? { scale } : {}) }, attrs) as tf.Tensor[];
      return {
        x: () => dx,
        mean: () => dmean,
        variance: () => dvariance,
        scale: () => dscale, // mean's shape, as tfjs-core returns it
        offset: () => doffset,
      };
    },
  });
  overridden = true;
}
