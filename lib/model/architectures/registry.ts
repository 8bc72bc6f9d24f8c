/** Architectures registered by name (opensoundscape register_arch / list_architectures style). */
import type * as tf from '@tensorflow/tfjs';
import { buildFromSpec, type BuildOptions } from './build.ts';
import { layerCosts, type LayerSpec } from './spec.ts';

export interface ArchitectureDefinition {
  /** one line for --help and reports */
  description: string;
  /** the layer list for an input of [frames, bins] (the channel axis is added) */
  layers: (inputShape: [number, number]) => LayerSpec[];
}

export interface ModelCost {
  params: number;
  /** forward FLOPs per example */
  flopsPerExample: number;
  /** forward + backward FLOPs per example (≈ 3 × forward) */
  trainFlopsPerExample: number;
  /** weights, gradients and Adam's two moments: params × 4 bytes × 4 */
  paramBytes: number;
  /** activations kept for the backward pass, and their gradients, per example */
  activationBytesPerExample: number;
  /** paramBytes + batchSize × activationBytesPerExample: training memory for one batch */
  bytes: number;
  batchSize: number;
}

const registry = new Map<string, ArchitectureDefinition>();

export function registerArchitecture(name: string, definition: ArchitectureDefinition): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`registerArchitecture: name '${name}' must be lower-case letters, digits and dashes`);
  if (registry.has(name)) throw new Error(`registerArchitecture: '${name}' is already registered`);
  registry.set(name, definition);
}

export function listArchitectures(): { name: string; description: string }[] {
  return [...registry.entries()].map(([name, d]) => ({ name, description: d.description }));
}

export function getArchitecture(name: string): ArchitectureDefinition {
  const definition = registry.get(name);
  if (!definition) {
    throw new Error(`unknown model architecture '${name}'; registered: ${[...registry.keys()].join(', ')}`);
  }
  return definition;
}

/** Validated [frames, bins]: positive integers. */
function checkInputShape(name: string, inputShape: [number, number]): [number, number] {
  if (inputShape.length !== 2 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${name}: inputShape must be [frames, bins] of positive integers, got [${inputShape}]`);
  }
  return inputShape;
}

/** A fresh, uncompiled model: input [frames, bins, 1], one sigmoid output. */
export function buildModel(name: string, inputShape: [number, number], opts: BuildOptions = {}): tf.Sequential {
  const shape = checkInputShape(name, inputShape);
  return buildFromSpec(name, getArchitecture(name).layers(shape), shape, opts);
}

/** Size, FLOPs and training memory of an architecture on an input, without building it. */
export function estimateCost(name: string, inputShape: [number, number], batchSize = 32): ModelCost {
  const shape = checkInputShape(name, inputShape);
  const costs = layerCosts(getArchitecture(name).layers(shape), shape);
  const params = costs.reduce((a, c) => a + c.params, 0);
  const flopsPerExample = costs.reduce((a, c) => a + c.flops, 0);
  const activations = costs.reduce((a, c) => a + (c.kind === 'flatten' ? 0 : c.outShape.reduce((p, d) => p * d, 1)), shape[0] * shape[1]);
  const paramBytes = params * 4 * 4;
  const activationBytesPerExample = activations * 4 * 2;
  return {
    params,
    flopsPerExample,
    trainFlopsPerExample: 3 * flopsPerExample,
    paramBytes,
    activationBytesPerExample,
    bytes: paramBytes + batchSize * activationBytesPerExample,
    batchSize,
  };
}
