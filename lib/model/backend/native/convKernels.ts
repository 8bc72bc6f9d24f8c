/**
 * Convolution kernels for the wasm backend that run oneDNN (native, AVX-512 where the CPU has it) in place
 * on the wasm heap: Conv2D, FusedConv2D (bias + ReLU or none), Conv2DBackpropInput and
 * Conv2DBackpropFilter. Anything they do not cover (other activations, PReLU weights, NCHW) goes to the
 * kernel registered before them. See ../README.md, "Native kernels".
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertChannelsLast } from '../wasmKernels/tensors.ts';
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
    const backend = args.backend;
    const out = backend.makeOutput(info.outShape, 'float32');
    if (tf.util.sizeFromShape(info.outShape) === 0) return out;
    const p = shapeParams(info, threads);
    p[0] = offset(backend, x);
    p[1] = offset(backend, filter);
    p[2] = offset(backend, bias);
    p[3] = offset(backend, out);
    p[P.RELU] = activation === 'relu' ? 1 : 0;
    run('convForward', backend, p);
    return out;
  }

  function backwardData(args: KernelArgs): tf.TensorInfo {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    assertChannelsLast('Conv2DBackpropInput', attrs.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const backend = args.backend;
    const dx = backend.makeOutput(attrs.inputShape, 'float32');
    if (tf.util.sizeFromShape(attrs.inputShape) === 0) return dx;
    const p = shapeParams(info, threads);
    p[0] = offset(backend, dy);
    p[1] = offset(backend, filter);
    p[3] = offset(backend, dx);
    run('convBackwardData', backend, p);
    return dx;
  }

  function backwardFilter(args: KernelArgs): tf.TensorInfo {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const backend = args.backend;
    const dw = backend.makeOutput(attrs.filterShape, 'float32');
    if (tf.util.sizeFromShape(attrs.filterShape) === 0) return dw;
    const p = shapeParams(info, threads);
    p[0] = offset(backend, x);
    p[1] = offset(backend, dy);
    p[3] = offset(backend, dw);
    if (info.batchSize * info.outHeight * info.outWidth === 0) (backend.typedArrayFromHeap(dw) as Float32Array).fill(0);
    else run('convBackwardFilter', backend, p);
    return dw;
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
