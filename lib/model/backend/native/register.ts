/**
 * Registers the native kernels (convKernels, poolKernels, normKernels, reduceKernels, elementwiseKernels,
 * optimizerKernels) over the
 * wasm ones when the addon loads. Each replaced kernel stays reachable as the fallback for arguments the
 * addon does not cover, and its setup function is kept so the wasm backend still initialises it.
 */
import * as tf from '@tensorflow/tfjs';
import { loadNative } from './addon.ts';
import { makeConvKernels } from './convKernels.ts';
import { makeElementwiseKernels } from './elementwiseKernels.ts';
import { makeNormKernels } from './normKernels.ts';
import { makeOptimizerKernels } from './optimizerKernels.ts';
import { registerNativeGradients } from './gradients.ts';
import type { NativeKernelContext } from './heap.ts';
import { makePoolKernels } from './poolKernels.ts';
import { makeReduceKernels } from './reduceKernels.ts';

const FAMILIES = [makeConvKernels, makePoolKernels, makeNormKernels, makeReduceKernels, makeElementwiseKernels, makeOptimizerKernels];

let registered: { threads: number; note: string; kernelNames: string[] } | null = null;

/** The kernel names now running natively (empty before registration or without the addon). */
export const nativeKernelNames = (): readonly string[] => registered?.kernelNames ?? [];

/**
 * Call after registerWasmTrainingKernels and before the wasm backend initialises. Returns a line for
 * reports: the oneDNN version and threads, or why every kernel stays on wasm. Idempotent (the first
 * thread count stays).
 */
export function registerNativeKernels(threads: number): { native: boolean; note: string } {
  if (registered) return { native: true, note: registered.note };
  const loaded = loadNative();
  if ('reason' in loaded) return { native: false, note: loaded.reason };
  const previous = new Map<string, tf.KernelConfig>();
  const ctx: NativeKernelContext = { threads, previous: (name) => previous.get(name) };
  const kernels = FAMILIES.flatMap((make) => make(loaded.addon, ctx));
  for (const k of kernels) {
    const old = tf.getKernel(k.kernelName, 'wasm');
    if (old) {
      previous.set(k.kernelName, old);
      tf.unregisterKernel(k.kernelName, 'wasm');
    }
    tf.registerKernel({ ...k, setupFunc: old?.setupFunc });
  }
  registerNativeGradients();
  const kernelNames = kernels.map((k) => k.kernelName);
  registered = {
    threads, kernelNames,
    note: `${kernelNames.length} native kernels (convolutions on ${loaded.addon.version()}), ${threads} thread${threads === 1 ? '' : 's'}`,
  };
  return { native: true, note: registered.note };
}
