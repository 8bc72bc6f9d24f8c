/**
 * seed-cnn: the challenge's original notebook model, kept as the baseline. On the notebook's linear
 * spectrograms [1491, 257] it has 191.8 M parameters (all but 4.9 k in the first Dense: 743·126·16 → 128)
 * and needs ~3.1 GB for weights + gradients + Adam state alone (see README for step times).
 */
import type { ArchitectureDefinition } from './registry.ts';

export const seedCnn: ArchitectureDefinition = {
  description: 'original notebook CNN: 2× Conv 16 3×3 relu, MaxPool 2, Dropout 0.25, Flatten, Dense 128 relu, Dense 1 sigmoid (huge on linear spectrograms)',
  layers: () => [
    { kind: 'conv', filters: 16, kernel: [3, 3], padding: 'valid', activation: 'relu' },
    { kind: 'conv', filters: 16, kernel: [3, 3], padding: 'valid', activation: 'relu' },
    { kind: 'maxPool', pool: [2, 2] },
    { kind: 'dropout', rate: 0.25 },
    { kind: 'flatten' },
    { kind: 'dense', units: 128, activation: 'relu' },
    { kind: 'dense', units: 1, activation: 'sigmoid' },
  ],
};
