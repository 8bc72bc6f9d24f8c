/**
 * Cast for wasm: a cast to the tensor's own dtype shares its memory (reference-counted, like Identity.ts)
 * instead of copying it. Training casts float32 to float32 ~17 times a step (tfjs-layers' inputs,
 * losses, metrics; `npm run bench -- --only kernels`, row 'Cast float32→float32': ~0.26 ms a copy of a [32, 75, 48, 16] tensor). Real casts and strings keep
 * the stock kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap };

export function makeCastConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => tf.TensorInfo;
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (x.dtype !== dtype || dtype === 'string' || dtype === 'complex64') return stockFunc(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
