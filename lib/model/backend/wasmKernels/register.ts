/**
 * The one list of capuchin's wasm training kernels, registered once (tfjs register_all_kernels style).
 * Stock tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter (conv nets cannot train at all) and has slow
 * Conv2DBackpropInput, MaxPoolGrad, Tile and leading-axes Sum/Mean, and copies for Identity and same-dtype Cast; see ../README.md for the measurements.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.ts';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.ts';
import { maxPoolGradConfig } from './MaxPoolGrad.ts';
import { makeCastConfig } from './Cast.ts';
import { makeIdentityConfig } from './Identity.ts';
import { makeMeanConfig } from './Mean.ts';
import { makeSumConfig } from './Sum.ts';
import { makeTileConfig } from './Tile.ts';

/** Kernels that are new or replace the stock one outright. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
];

/** Kernels that wrap the stock one (fast path for some inputs, stock kernel for the rest). */
export const wasmKernelWrappers: ReadonlyArray<{ kernelName: string; wrap: (stock: tf.KernelConfig) => tf.KernelConfig }> = [
  { kernelName: tf.Sum, wrap: makeSumConfig },
  { kernelName: tf.Mean, wrap: makeMeanConfig },
  { kernelName: tf.Tile, wrap: makeTileConfig },
  { kernelName: tf.Identity, wrap: makeIdentityConfig },
  { kernelName: tf.Cast, wrap: makeCastConfig },
];

export const wasmTrainingKernelNames: readonly string[] = [
  ...wasmTrainingKernels.map((k) => k.kernelName),
  ...wasmKernelWrappers.map((k) => k.kernelName),
];

let registered = false;

function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Registers every kernel above for backend 'wasm' (import '@tensorflow/tfjs-backend-wasm' first).
 * Call before the wasm backend is initialised so setup functions run. Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const { kernelName, wrap } of wasmKernelWrappers) {
    const stock = tf.getKernel(kernelName, 'wasm');
    if (!stock) throw new Error(`capuchin: stock wasm kernel '${kernelName}' not found; import '@tensorflow/tfjs-backend-wasm' before registering`);
    replace(wrap(stock));
  }
  for (const config of wasmTrainingKernels) replace(config);
  registered = true;
}
