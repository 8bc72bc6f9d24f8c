/**
 * Real-input FFT of one fixed power-of-two size, on the `fft.js` radix-4 `realTransform`.
 * One instance per extractor: the twiddle tables are built once and nothing is allocated per call.
 */
import FFT from 'fft.js';

export class RealFft {
  readonly size: number;
  private readonly fft: FFT;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`RealFft: size must be a power of two ≥ 4, got ${size}`);
    this.size = size;
    this.fft = new FFT(size);
  }

  /**
   * X = FFT(input) for input of `size` reals. `out` (≥ 2·size values, used as workspace) receives
   * X[k] for k = 0..size/2 as out[2k] = Re, out[2k+1] = Im; the upper half is left unspecified.
   */
  forward(input: Float64Array, out: Float64Array): void {
    if (input.length !== this.size || out.length < 2 * this.size)
      throw new RangeError(`RealFft: need ${this.size} inputs and ${2 * this.size} outputs, got ${input.length} and ${out.length}`);
    this.fft.realTransform(out, input);
  }
}
