/**
 * Real-input FFT of one fixed power-of-two size N, built on the `fft.js` radix-4 complex transform.
 *
 * The N real inputs are read as N/2 interleaved complex values z[n] = x[2n] + i·x[2n+1] (no copy: a
 * Float64Array of N reals already has that layout), transformed with one N/2-point complex FFT, and
 * split into the spectrum of x with the standard post-processing step
 *   X[k] = E[k] + e^{−2πik/N}·O[k],  E[k] = (Z[k] + conj Z[N/2−k]) / 2,  O[k] = (Z[k] − conj Z[N/2−k]) / 2i.
 * The STFT and mel frames use it where the runtime has no wasm SIMD (fftPairKernel.ts is faster where there is;
 * `npm run bench -- --only features` keeps this path's time as jsFallbackSeconds), and FrameAnalyzer always. One instance per extractor: tables are built once and nothing is
 * allocated per call.
 */
import FFT from 'fft.js';

export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly fft: FFT;
  private readonly z: Float64Array;
  private readonly twiddle: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`RealFft: size must be a power of two ≥ 4, got ${size}`);
    this.size = size;
    this.half = size / 2;
    this.fft = new FFT(this.half);
    this.z = new Float64Array(size);
    this.twiddle = new Float64Array(size);
    for (let k = 0; k < this.half; k++) {
      this.twiddle[2 * k] = Math.cos((-2 * Math.PI * k) / size);
      this.twiddle[2 * k + 1] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /**
   * X = FFT(input) for `size` real inputs. `out` (≥ size + 2 values) receives X[k] for k = 0..size/2
   * as out[2k] = Re, out[2k+1] = Im.
   */
  forward(input: Float64Array, out: Float64Array): void {
    if (out.length < this.size + 2) throw new RangeError(`RealFft: need ${this.size + 2} outputs, got ${out.length}`);
    this.split(input, out, 0, COMPLEX);
  }

  /** |X[k]| for k = 0..size/2 into out[at + k]. */
  magnitude(input: Float64Array, out: Float32Array, at: number): void {
    if (at < 0 || at + this.half + 1 > out.length) throw new RangeError(`RealFft: magnitude output [${at}, ${at + this.half + 1}) is outside ${out.length} values`);
    this.split(input, out, at, MAGNITUDE);
  }

  /** |X[k]|² for k = 0..size/2 into out[at + k]. */
  power(input: Float64Array, out: Float64Array, at: number): void {
    if (at < 0 || at + this.half + 1 > out.length) throw new RangeError(`RealFft: power output [${at}, ${at + this.half + 1}) is outside ${out.length} values`);
    this.split(input, out, at, POWER);
  }

  /**
   * One N/2 complex FFT, then the split step for bins k and N/2 − k together:
   * with t = W^k·O[k], X[k] = E[k] + t and X[N/2 − k] = conj(E[k] − t). Writes the requested form
   * straight to `out` (no intermediate spectrum for magnitude and power).
   */
  private split(input: Float64Array, out: Float64Array | Float32Array, at: number, form: number): void {
    const { half, z, twiddle } = this;
    if (input.length !== this.size) throw new RangeError(`RealFft: need ${this.size} inputs, got ${input.length}`);
    this.fft.transform(z, input);
    const dc = z[0] + z[1];
    const nyquist = z[0] - z[1];
    if (form === COMPLEX) {
      out[0] = dc;
      out[1] = 0;
      out[2 * half] = nyquist;
      out[2 * half + 1] = 0;
    } else {
      out[at] = form === MAGNITUDE ? Math.abs(dc) : dc * dc;
      out[at + half] = form === MAGNITUDE ? Math.abs(nyquist) : nyquist * nyquist;
    }
    for (let k = 1, j = half - 1; k <= j; k++, j--) {
      const ar = z[2 * k];
      const ai = z[2 * k + 1];
      const br = z[2 * j];
      const bi = -z[2 * j + 1];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const wr = twiddle[2 * k];
      const wi = twiddle[2 * k + 1];
      const tr = wr * or - wi * oi;
      const ti = wr * oi + wi * or;
      const xr = er + tr;
      const xi = ei + ti;
      const yr = er - tr;
      const yi = ti - ei;
      if (form === MAGNITUDE) {
        out[at + k] = Math.sqrt(xr * xr + xi * xi);
        out[at + j] = Math.sqrt(yr * yr + yi * yi);
      } else if (form === POWER) {
        out[at + k] = xr * xr + xi * xi;
        out[at + j] = yr * yr + yi * yi;
      } else {
        out[2 * k] = xr;
        out[2 * k + 1] = xi;
        out[2 * j] = yr;
        out[2 * j + 1] = yi;
      }
    }
  }
}

const COMPLEX = 0;
const MAGNITUDE = 1;
const POWER = 2;
