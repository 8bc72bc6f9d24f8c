/**
 * Float32 Add, Sub, Multiply, RealDiv, Relu, Step, Square and Floor on the addon (elementwise.cc). Training
 * issues ~300 of these a step, most of them a per-channel vector against an NHWC activation (batch norm,
 * bias) that stock wasm runs through its generic broadcasting loop (`npm run bench -- --only kernels`, row 'Add [32, 9, 6, 64] + [64]':
 * ~0.06 ms against ~0.04 ms here; the gain is in the count of calls, not their size). Covered: equal shapes, a scalar on either side, and one side whose shape is a
 * suffix of the other's (leading 1s allowed); any other broadcast or dtype goes to the previous kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.ts';
import { RELU_GRAD_KERNEL } from './gradients.ts';
import { type KernelArgs, type NativeKernelContext, fallback, floatBits, heapOf, heapOffset, params } from './heap.ts';

/** How `binary` (elementwise.cc) reads its two operands. */
export type BroadcastPlan = { mode: 0 | 1 | 2 | 3 | 4; inner: number; outShape: number[] };

const withoutLeadingOnes = (shape: number[]): number[] => {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
};

const endsWith = (shape: number[], suffix: number[]): boolean =>
  suffix.length <= shape.length && suffix.every((d, i) => shape[shape.length - suffix.length + i] === d);

/** The addon's layout for operands of shapes `a` and `b`, or null when it does not cover them. */
export function broadcastPlan(a: number[], b: number[]): BroadcastPlan | null {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a, b);
  const sa = tf.util.sizeFromShape(a);
  const sb = tf.util.sizeFromShape(b);
  const full = (s: number[]) => tf.util.arraysEqual(withoutLeadingOnes(s), withoutLeadingOnes(outShape));
  if (full(a) && full(b)) return { mode: 0, inner: 1, outShape };
  if (full(a) && sb === 1) return { mode: 3, inner: 1, outShape };
  if (full(b) && sa === 1) return { mode: 4, inner: 1, outShape };
  if (full(a) && endsWith(outShape, withoutLeadingOnes(b))) return { mode: 1, inner: sb, outShape };
  if (full(b) && endsWith(outShape, withoutLeadingOnes(a))) return { mode: 2, inner: sa, outShape };
  return null;
}

const BINARY: ReadonlyArray<[string, number]> = [[tf.Add, 0], [tf.Sub, 1], [tf.Multiply, 2], [tf.RealDiv, 3]];
const UNARY: ReadonlyArray<[string, number]> = [[tf.Relu, 0], [tf.Step, 1], [tf.Square, 2], [tf.Floor, 3]];

export function makeElementwiseKernels(addon: NativeAddon, ctx: NativeKernelContext): tf.KernelConfig[] {
  const binary = (name: string, op: number) => (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? broadcastPlan(a.shape, b.shape) : null;
    if (!plan) return fallback(ctx.previous(name), name, args);
    const backend = args.backend;
    const out = backend.makeOutput(plan.outShape, 'float32');
    const size = tf.util.sizeFromShape(plan.outShape);
    if (size > 0) {
      addon.binary(heapOf(backend), params(ctx.threads, [
        heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), op, plan.mode, size, plan.inner]));
    }
    return out;
  };
  const unary = (name: string, op: number) => (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return fallback(ctx.previous(name), name, args);
    const backend = args.backend;
    const out = backend.makeOutput(x.shape, 'float32');
    const size = tf.util.sizeFromShape(x.shape);
    const alpha = name === tf.Step ? ((args.attrs as unknown as tf.StepAttrs | undefined)?.alpha ?? 0) : 0;
    if (size > 0) addon.unary(heapOf(backend), params(ctx.threads, [heapOffset(backend, x), heapOffset(backend, out), op, size, floatBits(alpha)]));
    return out;
  };
  // dy · step(x) for ReLU's gradient (gradients.ts): same shapes only
  const reluGrad = (args: KernelArgs): tf.TensorInfo => {
    const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    if (!tf.util.arraysEqual(dy.shape, x.shape)) throw new Error(`${RELU_GRAD_KERNEL}: dy ${dy.shape} and x ${x.shape} differ`);
    const backend = args.backend;
    const out = backend.makeOutput(x.shape, 'float32');
    const size = tf.util.sizeFromShape(x.shape);
    if (size > 0) addon.binary(heapOf(backend), params(ctx.threads, [heapOffset(backend, dy), heapOffset(backend, x), heapOffset(backend, out), 4, 0, size, 1]));
    return out;
  };
  return [
    { kernelName: RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: reluGrad as unknown as tf.KernelFunc },
    ...BINARY.map(([name, op]) => ({ kernelName: name, backendName: 'wasm', kernelFunc: binary(name, op) as unknown as tf.KernelFunc })),
    ...UNARY.map(([name, op]) => ({ kernelName: name, backendName: 'wasm', kernelFunc: unary(name, op) as unknown as tf.KernelFunc })),
  ];
}
