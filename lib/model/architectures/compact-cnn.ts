/**
 * compact-cnn (the default): ~61 k parameters, ~57 MFLOP per 299×64 mel example, so a batch-32 Adam
 * step takes a fraction of a second on wasm. The first conv strides 2 in time (10 ms hop → 20 ms, far
 * finer than a call) and, with a ReLU activation, runs unfused so tfjs does not compute the unused input
 * gradient; three Conv–BatchNorm–ReLU blocks (32-64-64) follow, pooled 2×2 between them; global average
 * pooling makes it independent of the clip length.
 */
import type { ArchitectureDefinition } from './registry.ts';
import type { LayerSpec } from './spec.ts';

function block(filters: number, strides: [number, number], pool: boolean): LayerSpec[] {
  const layers: LayerSpec[] = [
    { kind: 'conv', filters, kernel: [3, 3], strides, padding: 'same', useBias: false },
    { kind: 'batchNorm' },
    { kind: 'relu' },
  ];
  if (pool) layers.push({ kind: 'maxPool', pool: [2, 2] });
  return layers;
}

export const compactCnn: ArchitectureDefinition = {
  description: 'default: input BatchNorm, Conv 3×3/16 (stride 2 in time) ReLU MaxPool, 3 × (Conv 3×3 → BatchNorm → ReLU) 32-64-64 with MaxPool 2×2 between, global average pool, Dropout 0.3, Dense 1 sigmoid',
  layers: () => [
    { kind: 'inputNorm' },
    // block 1 has no BatchNorm: on tfjs a training-mode BatchNorm costs ~20 passes over its input, and
    // this is the largest activation; the normalised input already keeps it well scaled
    { kind: 'conv', filters: 16, kernel: [3, 3], strides: [2, 1], padding: 'same', activation: 'relu' },
    { kind: 'maxPool', pool: [2, 2] },
    ...block(32, [1, 1], true),
    ...block(64, [1, 1], true),
    ...block(64, [1, 1], false),
    { kind: 'globalAvgPool' },
    { kind: 'dropout', rate: 0.3 },
    { kind: 'dense', units: 1, activation: 'sigmoid' },
  ],
};
