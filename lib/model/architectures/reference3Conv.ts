/**
 * reference-3conv: the 3-conv CNN used to measure the wasm training kernels (bench row "3-conv CNN",
 * 32×300×64 batch, ~9 GFLOP per Adam step): 3 × (Conv 3×3 same relu, MaxPool 2×2) with 16-32-64
 * channels, global average pool, Dense 1 sigmoid.
 */
import type { ArchitectureDefinition } from './registry.ts';

export const reference3Conv: ArchitectureDefinition = {
  description: 'benchmark reference: 3 × (Conv 3×3 relu, MaxPool 2×2) 16-32-64, global average pool, Dense 1 sigmoid',
  layers: () => [
    { kind: 'conv', filters: 16, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'conv', filters: 32, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'conv', filters: 64, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'globalAvgPool' },
    { kind: 'dense', units: 1, activation: 'sigmoid' },
  ],
};
