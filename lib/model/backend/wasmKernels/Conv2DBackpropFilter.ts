/**
 * Conv2DBackpropFilter for wasm (stock tfjs-backend-wasm has none, so conv nets cannot train on it).
 *
 * The filter gradient dW[i,j,c,o] = Σ_{n,p,q} x[n, p·s+i−padT, q·s+j−padL, c] · dy[n,p,q,o] is itself a
 * convolution: swap batch and channels (x' = x as [Ci, H, W, N], dy' = dy as [OH, OW, N, Co]) and convolve
 * x' with dy' using the forward stride as dilation. That runs on wasm's XNNPACK conv kernel
 * (`npm run bench -- --only kernels`, row 'Conv2DBackpropFilter': ~30 ms, ~9 GFLOP/s single-threaded; an im2col + matMul variant and one
 * folding batch × output columns into the channel axis were slower when tried, and are not kept).
 */
import * as tf from '@tensorflow/tfjs';
import { asTensor, backpropConvInfo } from './tensors.ts';

export function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor {
  const { x: xInfo, dy: dyInfo } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = backpropConvInfo('Conv2DBackpropFilter', attrs, xInfo.shape, attrs.filterShape);
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(xInfo);
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const [n, h, w, ci] = x.shape;
    const padT = info.padInfo.top;
    const padL = info.padInfo.left;
    // rows/cols the last output position reaches; the rest of x never touches the filter
    let padB = (oh - 1) * sh + fh - h - padT;
    let padR = (ow - 1) * sw + fw - w - padL;
    let xUsed: tf.Tensor4D = x;
    if (padB < 0 || padR < 0) {
      xUsed = tf.slice(x, [0, 0, 0, 0], [n, h + Math.min(padB, 0), w + Math.min(padR, 0), ci]);
      padB = Math.max(padB, 0);
      padR = Math.max(padR, 0);
    }
    const xT = tf.transpose(xUsed, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const pad: [[0, 0], [number, number], [number, number], [0, 0]] = [[0, 0], [padT, padB], [padL, padR], [0, 0]];
    const g = tf.conv2d(xT, dyT, 1, pad, 'NHWC', [sh, sw]);
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
