/**
 * compact-cnn (the default): ~60 k parameters. The configurations here feed it 149×48 inputs (3 s of 48 mel
 * bands at a 20 ms hop); global average pooling makes it independent of the clip length. Four Conv 3×3 +
 * ReLU blocks (16-32-64-64), max-pooled 2×2 after the first three.
 *
 * Shaped for tfjs on wasm (lib/model/backend/README.md):
 * - The first conv strides 2 in time (a 20 ms hop becomes 40 ms, still far finer than a call).
 * - The convs carry their ReLU. A linear conv trains through tfjs's fused-conv gradient, which always also
 *   computes the unused input gradient.
 * - BatchNorm comes after the pooling (Conv → ReLU → MaxPool → BatchNorm): a training-mode BatchNorm makes
 *   many passes over its input on tfjs, and here it sees a quarter of the conv output. The first block has
 *   none, because the normalised input already keeps it well scaled.
 * - Convs that follow a BatchNorm have no bias: its learnt offset already plays that part.
 */
import type { ArchitectureDefinition } from './registry.ts';
import type { LayerSpec } from './spec.ts';

function conv(filters: number, useBias: boolean, strides: [number, number] = [1, 1]): LayerSpec {
  return { kind: 'conv', filters, kernel: [3, 3], strides, padding: 'same', activation: 'relu', useBias };
}

export const compactCnn: ArchitectureDefinition = {
  description:
    'default: input BatchNorm, Conv 3×3/16 (stride 2 in time) ReLU MaxPool, 2 × (Conv 3×3 ReLU MaxPool BatchNorm) 32-64, Conv 3×3/64 ReLU, global average pool, Dropout 0.3, Dense 1 sigmoid',
  layers: () => [
    { kind: 'inputNorm' },
    conv(16, true, [2, 1]),
    { kind: 'maxPool', pool: [2, 2] },
    conv(32, true),
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'batchNorm' },
    conv(64, false),
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'batchNorm' },
    conv(64, false),
    { kind: 'globalAvgPool' },
    { kind: 'dropout', rate: 0.3 },
    { kind: 'dense', units: 1, activation: 'sigmoid' },
  ],
};
