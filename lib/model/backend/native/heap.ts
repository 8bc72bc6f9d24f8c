/** What the native kernels need from the wasm backend: tensor offsets in its heap and a params array. */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { PARAM_COUNT, THREADS_AT } from './addon.ts';

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap };

/** Byte offset of a tensor's data in the wasm heap; -1 for an absent input. */
export function heapOffset(backend: BackendWasm, t: tf.TensorInfo | undefined | null): number {
  if (!t) return -1;
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(t.dataId).memoryOffset;
}

/** A params array with the thread count in place. */
export function params(threads: number, values: number[] = []): Int32Array {
  const p = new Int32Array(PARAM_COUNT);
  p.set(values);
  p[THREADS_AT] = threads;
  return p;
}

/** A float32's bit pattern, for passing a float attribute in the Int32Array of params. */
export const floatBits = (value: number): number => new Int32Array(new Float32Array([value]).buffer)[0];

/** The heap as the addon takes it; read after every allocation, since growing the heap replaces it. */
export const heapOf = (backend: BackendWasm): Float32Array => (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;

/** Passes a call on to the kernel registered before ours. */
export function fallback(previous: tf.KernelConfig | undefined, name: string, args: KernelArgs): tf.TensorInfo {
  if (!previous) throw new Error(`capuchin native ${name}: unsupported arguments and no wasm kernel to fall back to`);
  return previous.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

export interface NativeKernelContext {
  threads: number;
  /** the kernel registered for this name before ours */
  previous(kernelName: string): tf.KernelConfig | undefined;
}
