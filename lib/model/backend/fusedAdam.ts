/**
 * tfjs-core's Adam with each variable's update as one CapuchinAdam kernel (native/optimizerKernels.ts)
 * where the backend has it, and tfjs-core's own applyGradients elsewhere (cpu, the browser, wasm without
 * the addon). Same state (the m / v variables, accBeta1/2, iterations), same float32 arithmetic, same
 * `learningRate` field that training sets per epoch; getWeights / setWeights / dispose are tfjs-core's.
 * tfjs-core issues ~14 kernels per variable per step (~220 of a compact-cnn step's ~550).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, type AdamKernelAttrs } from './native/optimizerKernels.ts';

type Slot = { originalName: string; variable: tf.Variable };
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
/** AdamOptimizer's private state, read and written as tfjs-core does. */
type AdamState = { accBeta1: tf.Variable; accBeta2: tf.Variable; accumulatedFirstMoment: Slot[]; accumulatedSecondMoment: Slot[] };

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (!tf.getKernel(ADAM_KERNEL, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // the scalars tfjs-core multiplies by, as float32, so the arithmetic is the same
    const f32 = (x: number) => Math.fround(x);
    const attrs: AdamKernelAttrs = {
      beta1: f32(this.beta1), beta2: f32(this.beta2), oneMinusBeta1: f32(1 - this.beta1), oneMinusBeta2: f32(1 - this.beta2),
      epsilon: f32(this.epsilon), minusLearningRate: f32(-this.learningRate),
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const zeros = () => tf.tidy(() => tf.zerosLike(value).variable(false));
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeros() };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeros() };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf.engine().runKernel(
          ADAM_KERNEL, { value, m, v, gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** Adam as tf.train.adam(learningRate) builds it, fused where the backend can. */
export const adam = (learningRate: number): tf.AdamOptimizer => new FusedAdamOptimizer(learningRate, 0.9, 0.999);
