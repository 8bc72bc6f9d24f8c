/** Sum for wasm: leading-axes reductions in one pass (see leading-reduce.ts), the rest on the stock kernel. */
import type * as tf from '@tensorflow/tfjs';
import { makeLeadingReduceConfig } from './leading-reduce.ts';

export const makeSumConfig = (stock: tf.KernelConfig): tf.KernelConfig => makeLeadingReduceConfig(stock, false);
