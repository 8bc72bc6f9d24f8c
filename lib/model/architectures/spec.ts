/**
 * Architectures as plain layer lists, so size and cost can be known without allocating weights
 * (seed-cnn on linear spectrograms has ~192 M parameters: building it just to count them costs 768 MB).
 */

export type LayerSpec =
  /**
   * Batch normalisation of the input's single channel, frozen (trainable: false; it still normalises by
   * batch statistics in training): adapts to dB or magnitude features, and no gradient has to flow back
   * through the first conv into the input (the first conv supplies the learnt affine).
   */
  | { kind: 'inputNorm' }
  | {
      kind: 'conv';
      filters: number;
      kernel: [number, number];
      strides?: [number, number];
      padding: 'same' | 'valid';
      activation?: 'relu' | 'linear';
      useBias?: boolean;
    }
  | { kind: 'batchNorm' }
  | { kind: 'relu' }
  /** max pooling with stride = pool size, 'valid' (tfjs/Keras default) */
  | { kind: 'maxPool'; pool: [number, number] }
  | { kind: 'globalAvgPool' }
  | { kind: 'globalMaxPool' }
  | { kind: 'dropout'; rate: number }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation: 'relu' | 'sigmoid' | 'linear' };

export interface LayerCost {
  kind: LayerSpec['kind'];
  /** output shape per example */
  outShape: number[];
  params: number;
  /** forward floating-point operations per example (multiply and add counted separately) */
  flops: number;
}

function convOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Walk `layers` from an input of [frames, bins, 1]; throws when a layer would get an empty or wrong-rank input. */
export function layerCosts(layers: readonly LayerSpec[], inputShape: [number, number]): LayerCost[] {
  let shape: number[] = [inputShape[0], inputShape[1], 1];
  return layers.map((layer, i) => {
    const where = `layer ${i} (${layer.kind}) on input ${inputShape[0]}×${inputShape[1]}`;
    const needsImage = layer.kind === 'conv' || layer.kind === 'maxPool' || layer.kind.startsWith('global') || layer.kind === 'flatten';
    if (needsImage && shape.length !== 3) throw new Error(`architecture: ${where} needs a [h, w, c] input, got [${shape}]`);
    if (layer.kind === 'dense' && shape.length !== 1) throw new Error(`architecture: ${where} needs a flat input, got [${shape}]; add 'flatten' or a global pool first`);
    const inSize = product(shape);
    let params = 0;
    let flops = 0;
    switch (layer.kind) {
      case 'conv': {
        const [h, w, c] = shape;
        const [kh, kw] = layer.kernel;
        const [sh, sw] = layer.strides ?? [1, 1];
        shape = [convOut(h, kh, sh, layer.padding), convOut(w, kw, sw, layer.padding), layer.filters];
        const bias = layer.useBias ?? true;
        params = kh * kw * c * layer.filters + (bias ? layer.filters : 0);
        flops = 2 * shape[0] * shape[1] * kh * kw * c * layer.filters + (bias ? product(shape) : 0);
        break;
      }
      case 'maxPool':
        shape = [Math.floor(shape[0] / layer.pool[0]), Math.floor(shape[1] / layer.pool[1]), shape[2]];
        flops = inSize;
        break;
      case 'globalAvgPool':
      case 'globalMaxPool':
        shape = [shape[2]];
        flops = inSize;
        break;
      case 'flatten':
        shape = [inSize];
        break;
      case 'dense':
        params = shape[0] * layer.units + layer.units;
        flops = 2 * shape[0] * layer.units;
        shape = [layer.units];
        break;
      case 'inputNorm':
      case 'batchNorm':
        params = 4 * shape[shape.length - 1];
        flops = 4 * inSize;
        break;
      case 'relu':
      case 'dropout':
        flops = inSize;
        break;
    }
    if (shape.some((d) => !(d >= 1))) throw new Error(`architecture: ${where} leaves an empty output [${shape}]; the input is too small for this architecture`);
    return { kind: layer.kind, outShape: shape, params, flops };
  });
}
