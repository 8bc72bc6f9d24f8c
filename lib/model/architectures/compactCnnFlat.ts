/**
 * compact-cnn-flat: compact-cnn's convolutions with the feature map flattened into the dense layer instead of
 * averaged over time and frequency, so the score depends on where in the window a sound is (a call starting at
 * the window's centre, for onset-labelled targets), at ~30 k more weights for a 0.8 s window.
 */
import { compactCnn } from './compactCnn.ts';
import type { ArchitectureDefinition } from './registry.ts';

export const compactCnnFlat: ArchitectureDefinition = {
  description: 'compact-cnn with the last feature map flattened (position-aware) in place of global average pooling, Dropout 0.3, Dense 1 sigmoid',
  layers: (shape) => compactCnn.layers(shape).map((l) => (l.kind === 'globalAvgPool' ? { kind: 'flatten' as const } : l)),
};
