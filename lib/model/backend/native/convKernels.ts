/**
 * Convolution kernels for the wasm backend that run oneDNN (native, AVX-512 where the CPU has it) in place
 * on the wasm heap: Conv2D, FusedConv2D (bias + ReLU or none), Conv2DBackpropInput and
 * Conv2DBackpropFilter. Anything they do not cover (other activations, PReLU weights, NCHW) goes to the
 * kernel registered before them. See ../README.md, "Native kernels".
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backpropConvInfo } from '../wasmKernels/tensors.ts';
import type { NativeAddon } from './addon.ts';
import { type KernelArgs, type NativeKernelContext, fallback, heapOf, heapOffset as offset, params } from './heap.ts';

type Op = 'convForward' | 'convBackwardData' | 'convBackwardFilter';

// native.h, conv.cc layout
const P = { N: 4, H: 5, W: 6, CI: 7, OH: 8, OW: 9, CO: 10, FH: 11, FW: 12, SH: 13, SW: 14, PT: 15, PL: 16, PB: 17, PR: 18, DH: 19, DW: 20, RELU: 21 };

function shapeParams(info: tf.backend_util.Conv2DInfo, threads: number): Int32Array {
  const p = params(threads);
  p[P.N] = info.batchSize;
  p[P.H] = info.inHeight;
  p[P.W] = info.inWidth;
  p[P.CI] = info.inChannels;
  p[P.OH] = info.outHeight;
  p[P.OW] = info.outWidth;
  p[P.CO] = info.outChannels;
  p[P.FH] = info.filterHeight;
  p[P.FW] = info.filterWidth;
  p[P.SH] = info.strideHeight;
  p[P.SW] = info.strideWidth;
  p[P.PT] = info.padInfo.top;
  p[P.PL] = info.padInfo.left;
  p[P.PB] = info.padInfo.bottom;
  p[P.PR] = info.padInfo.right;
  p[P.DH] = info.dilationHeight;
  p[P.DW] = info.dilationWidth;
  return p;
}

/** The four kernel configs, each falling back to the kernel registered before it outside what oneDNN covers here. */
export function makeConvKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
  const { threads } = ctx;
  const run = (op: Op, backend: BackendWasm, p: Int32Array) => addon[op](heapOf(backend), p);

  /**
   * A float32 output of `outShape` from `op`: the operands' heap offsets in params 0, 1, 2 (an absent one −1), the
   * output's in 3, `setup` for the rest; an empty output, or `zero`, gives the output without calling oneDNN (zeros).
   */
  function launch(op: Op, backend: BackendWasm, info: tf.backend_util.Conv2DInfo, outShape: number[], operands: (tf.TensorInfo | undefined)[], setup?: (p: Int32Array) => void, zero = false): tf.TensorInfo {
    const out = backend.makeOutput(outShape, 'float32');
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    if (zero) {
      (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
      return out;
    }
    const p = shapeParams(info, threads);
    operands.forEach((t, i) => (p[i] = offset(backend, t)));
    p[3] = offset(backend, out);
    setup?.(p);
    run(op, backend, p);
    return out;
  }

  function forward(args: KernelArgs, fused: boolean): tf.TensorInfo {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
    const activation = fused ? attrs.activation ?? 'linear' : 'linear';
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as [number, number, number, number], filter!.shape as [number, number, number, number],
      attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const supported = (attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC') && (activation === 'linear' || activation === 'relu')
      && !preluActivationWeights && (!bias || (bias.shape.length === 1 && bias.shape[0] === info.outChannels));
    if (!supported) {
      const name = fused ? tf.FusedConv2D : tf.Conv2D;
      return fallback(ctx.previous(name), name, args);
    }
    return launch('convForward', args.backend, info, info.outShape, [x, filter, bias], (p) => {
      p[P.RELU] = activation === 'relu' ? 1 : 0;
    });
  }

  function backwardData(args: KernelArgs): tf.TensorInfo {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = backpropConvInfo('Conv2DBackpropInput', attrs, attrs.inputShape, filter.shape);
    return launch('convBackwardData', args.backend, info, attrs.inputShape, [dy, filter]);
  }

  function backwardFilter(args: KernelArgs): tf.TensorInfo {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = backpropConvInfo('Conv2DBackpropFilter', attrs, x.shape, attrs.filterShape);
    // no output positions: the gradient is zero (oneDNN is not asked)
    const empty = info.batchSize * info.outHeight * info.outWidth === 0;
    return launch('convBackwardFilter', args.backend, info, attrs.filterShape, [x, dy], undefined, empty);
  }

  const config = (kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo): tf.KernelConfig =>
    ({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  return [
    config(tf.Conv2D, (a) => forward(a, false)),
    config(tf.FusedConv2D, (a) => forward(a, true)),
    config(tf.Conv2DBackpropInput, backwardData),
    config(tf.Conv2DBackpropFilter, backwardFilter),
  ];
}
