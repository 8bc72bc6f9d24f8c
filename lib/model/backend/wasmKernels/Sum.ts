/** Sum for wasm: leading-axes reductions in one pass (see leadingReduce.ts), the rest on the stock kernel. */
import type * as tf from '@tensorflow/tfjs';
import { makeLeadingReduceConfig } from './leadingReduce.ts';

export const makeSumConfig = (stock: tf.KernelConfig): tf.KernelConfig => makeLeadingReduceConfig(stock, false);
