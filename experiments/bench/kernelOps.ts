/**
 * Child process of the `kernels` bench suite: times single tfjs kernels on backend 'wasm' (single-threaded) with
 * one kernel set registered, and prints {case: median milliseconds} as JSON. A process per set, because kernels
 * are registered globally before the backend starts:
 *   tsx experiments/bench/kernelOps.ts stock|wasm|native [--quick]
 * stock: tfjs-backend-wasm as published; wasm: with capuchin's wasm training kernels (lib/model/backend/
 * wasmKernels); native: with the native kernels over those (lib/model/backend/native; {"skipped": why} without them).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerNativeKernels } from '../../lib/model/backend/native/register.ts';
import { registerWasmTrainingKernels } from '../../lib/model/backend/wasmKernels/register.ts';
import { median } from '../../lib/model/backend/stepTiming.ts';

/** One timed kernel: its inputs are made once, `run` calls the kernel and returns what to dispose. */
export interface KernelCase {
  name: string;
  setup(): { run: () => tf.TensorInfo | tf.TensorInfo[]; inputs: tf.Tensor[] };
}

const F = 'float32';
const normal = (shape: number[]) => tf.randomNormal(shape, 0, 1, F, 7);
const kernel = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) => () => tf.engine().runKernel(name, inputs, attrs) as tf.TensorInfo;

/** The shapes the kernels' source comments cite (compact-cnn and the 3-conv reference CNN at batch 32). */
export const KERNEL_CASES: KernelCase[] = [
  { name: 'Identity [5 M floats]', setup: () => { const x = normal([5_000_000]); return { inputs: [x], run: kernel(tf.Identity, { x }) }; } },
  { name: 'Cast float32→float32 [32, 75, 48, 16]', setup: () => { const x = normal([32, 75, 48, 16]); return { inputs: [x], run: kernel(tf.Cast, { x }, { dtype: F }) }; } },
  { name: 'Tile [1, 1, 1, 16] → [32, 150, 64, 16]', setup: () => { const x = normal([1, 1, 1, 16]); return { inputs: [x], run: kernel(tf.Tile, { x }, { reps: [32, 150, 64, 1] }) }; } },
  {
    name: 'MaxPoolGrad 2×2 of [32, 300, 64, 16]',
    setup: () => {
      const input = normal([32, 300, 64, 16]);
      const output = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
      const dy = tf.onesLike(output);
      return { inputs: [input, output, dy], run: kernel(tf.MaxPoolGrad, { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' }) };
    },
  },
  { name: 'Sum over leading axes [32, 300, 64, 16] → [16]', setup: () => { const x = normal([32, 300, 64, 16]); return { inputs: [x], run: kernel(tf.Sum, { x }, { axis: [0, 1, 2], keepDims: false }) }; } },
  { name: 'Sum over leading axes [32, 75, 48, 16] → [16]', setup: () => { const x = normal([32, 75, 48, 16]); return { inputs: [x], run: kernel(tf.Sum, { x }, { axis: [0, 1, 2], keepDims: false }) }; } },
  {
    name: 'FusedBatchNorm [32, 75, 48, 16], per channel',
    setup: () => {
      const x = normal([32, 75, 48, 16]);
      const [mean, variance, offset, scale] = [normal([16]), tf.ones([16]), normal([16]), tf.ones([16])];
      return { inputs: [x, mean, variance, offset, scale], run: kernel(tf.FusedBatchNorm, { x, mean, variance, offset, scale }, { varianceEpsilon: 1e-3 }) };
    },
  },
  { name: 'Add [32, 9, 6, 64] + [64]', setup: () => { const a = normal([32, 9, 6, 64]); const b = normal([64]); return { inputs: [a, b], run: kernel(tf.Add, { a, b }) }; } },
  {
    name: 'Conv2DBackpropInput 3×3, 16→32 channels, dx [32, 75, 24, 16]',
    setup: () => {
      const dy = normal([32, 75, 24, 32]);
      const filter = normal([3, 3, 16, 32]);
      return { inputs: [dy, filter], run: kernel(tf.Conv2DBackpropInput, { dy, filter }, { inputShape: [32, 75, 24, 16], strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string }) };
    },
  },
  {
    name: 'Conv2DBackpropFilter 3×3, 16→32 channels, x [32, 75, 24, 16]',
    setup: () => {
      const x = normal([32, 75, 24, 16]);
      const dy = normal([32, 75, 24, 32]);
      return { inputs: [x, dy], run: kernel(tf.Conv2DBackpropFilter, { x, dy }, { filterShape: [3, 3, 16, 32], strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string }) };
    },
  },
];

/** Median ms of `reps` calls after `warmup` untimed ones; null where this kernel set cannot run the case. */
function time(c: KernelCase, reps: number, warmup: number): number | null {
  const { run, inputs } = c.setup();
  const dispose = (out: tf.TensorInfo | tf.TensorInfo[]) => (Array.isArray(out) ? out : [out]).forEach((t) => tf.engine().disposeTensor(t as tf.Tensor));
  try {
    for (let i = 0; i < warmup; i++) dispose(run());
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const out = run();
      ms.push(performance.now() - t0);
      dispose(out);
    }
    return median(ms);
  } catch {
    return null; // e.g. stock wasm has no Conv2DBackpropFilter
  } finally {
    tf.dispose(inputs);
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const quick = process.argv.includes('--quick');
  if (mode !== 'stock' && mode !== 'wasm' && mode !== 'native') throw new Error(`usage: kernelOps.ts stock|wasm|native [--quick], got ${mode}`);
  if (mode !== 'stock') registerWasmTrainingKernels();
  if (mode === 'native') {
    const native = registerNativeKernels(1);
    if (!native.native) {
      process.stdout.write(JSON.stringify({ skipped: native.note }) + '\n');
      return;
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('kernelOps: backend wasm failed to initialise');
  const result: Record<string, number | null> = {};
  for (const c of KERNEL_CASES) result[c.name] = time(c, quick ? 3 : 11, quick ? 1 : 3);
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
