/**
 * Sum and Mean over the leading axes of a float32 tensor (the bias and batch-norm reductions of
 * training: [n, h, w, c] → [c]) as one JIT-compiled pass over the wasm heap. The stock wasm kernels
 * first transpose the whole tensor so the reduced axes come last. `npm run bench -- --only kernels` (rows 'Sum over leading axes')
 * shows the gain depends on the machine: 39 ms against ~8 ms for a [32, 300, 64, 16] sum when it was written, 24 ms
 * against 19 ms on the AMD EPYC of 2026-12-05, where the smaller [32, 75, 48, 16] sum is slower than stock (3.7 ms
 * against 2.8 ms). The native reduction (../native/reduceKernels.ts) replaces it wherever the addon is built. Other reductions go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap };

/** How many leading axes `axis` reduces, or 0 when it is not a run of leading axes short of the last one. */
export function leadingAxesCount(axis: number | number[], rank: number): number {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/** A Sum (`mean: false`) or Mean (`mean: true`) kernel config that wraps `stock`. */
export function makeLeadingReduceConfig(stock: tf.KernelConfig, mean: boolean): tf.KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => tf.TensorInfo;
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const lead = x.dtype === 'float32' ? leadingAxesCount(axis, x.shape.length) : 0;
    if (lead === 0) return stockFunc(args);
    const inner = tf.util.sizeFromShape(x.shape.slice(lead));
    const outer = tf.util.sizeFromShape(x.shape.slice(0, lead));
    const outShape = keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...x.shape.slice(lead)] : x.shape.slice(lead);
    const outInfo = args.backend.makeOutput(outShape, 'float32');
    const out = args.backend.typedArrayFromHeap(outInfo) as Float32Array;
    const src = args.backend.typedArrayFromHeap(x) as Float32Array;
    const acc = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * inner;
      for (let j = 0; j < inner; j++) acc[j] += src[base + j];
    }
    if (mean && outer > 0) for (let j = 0; j < inner; j++) acc[j] /= outer;
    out.set(acc);
    return outInfo;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
