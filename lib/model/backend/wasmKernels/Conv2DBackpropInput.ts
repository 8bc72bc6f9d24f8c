/**
 * Conv2DBackpropInput for wasm, replacing the stock kernel (a scalar C++ loop: ~159 ms against
 * ~15 ms here for the row 'Conv2DBackpropInput' of `npm run bench -- --only kernels`) with a forward
 * convolution on wasm's XNNPACK kernel: dx = conv2d(dy with (s−1) zeros between rows/cols, W rotated 180°
 * with in/out channels swapped), padded so the output has x's shape.
 */
import * as tf from '@tensorflow/tfjs';
import { asTensor, backpropConvInfo } from './tensors.ts';

/** Insert (stride − 1) zero rows/cols between the rows/cols of a [n, h, w, c] tensor. */
function dilate(t: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return t;
  const [n, h, w, c] = t.shape;
  const spread = tf.pad(tf.reshape(t, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const full = tf.reshape(spread, [n, h * sh, w * sw, c]) as tf.Tensor4D;
  return tf.slice(full, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

export function conv2DBackpropInput(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor {
  const { dy: dyInfo, filter: filterInfo } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const xShape = attrs.inputShape as [number, number, number, number];
  const info = backpropConvInfo('Conv2DBackpropInput', attrs, xShape, filterInfo.shape);
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const filter = asTensor<tf.Rank.R4>(filterInfo);
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const [, h, w] = xShape;
    const dyUp = dilate(dy, sh, sw);
    const padT = fh - 1 - info.padInfo.top;
    const padL = fw - 1 - info.padInfo.left;
    const padB = h + info.padInfo.top - (oh - 1) * sh - 1;
    const padR = w + info.padInfo.left - (ow - 1) * sw - 1;
    if (padT < 0 || padL < 0 || padB < 0 || padR < 0) {
      throw new Error(`capuchin wasm Conv2DBackpropInput: padding larger than the filter is not supported (pad ${JSON.stringify(info.padInfo)}, filter ${fh}×${fw})`);
    }
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(dyUp, flipped, 1, [[0, 0], [padT, padB], [padL, padR], [0, 0]]);
  });
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
