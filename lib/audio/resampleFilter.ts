/**
 * Polyphase filter design for the rational resampler in resample.ts.
 *
 * Converting fromRate → toRate is upsampling by L, low-pass filtering and downsampling by M, with
 * L/M = toRate/fromRate reduced by their gcd (48k→16k is 1:3, 44.1k→16k is 160:441, 8k→16k is 2:1).
 * The low-pass is a Kaiser-windowed sinc evaluated at the upsampled rate L·fromRate, split into
 * L phases of `tapsPerPhase` taps each, so an output sample costs `tapsPerPhase` multiply-adds.
 */

/** Filter quality knobs, all relative to the lower Nyquist frequency fn = min(fromRate, toRate) / 2. */
export interface ResampleFilterOptions {
  /** Edge of the flat passband as a fraction of fn (default 0.8: 6.4 kHz when the output is 16 kHz). */
  passbandFraction?: number;
  /**
   * Start of the stopband as a fraction of fn (default 1.1: 8.8 kHz for a 16 kHz output). Above 1, content
   * just above fn aliases only into the transition band (fn·(2 − stop) .. fn), never into the passband.
   */
  stopbandFraction?: number;
  /** Stopband attenuation in dB (default 80). */
  attenuationDb?: number;
}

export const DEFAULT_RESAMPLE_FILTER: Required<ResampleFilterOptions> = {
  passbandFraction: 0.8,
  stopbandFraction: 1.1,
  attenuationDb: 80,
};

/** Refuse phase tables larger than this many coefficients (32 MiB of float32). */
const MAX_TABLE_SIZE = 1 << 23;

export interface PolyphaseFilter {
  /** Upsampling factor. */
  readonly up: number;
  /** Downsampling factor. */
  readonly down: number;
  readonly tapsPerPhase: number;
  /** `up` × `tapsPerPhase` coefficients, phase-major: phase p's taps are [p·taps, (p+1)·taps). */
  readonly coefficients: Float32Array;
  /**
   * For phase p, the input index of its first tap relative to floor(k·down / up) for output k (≤ 0).
   * Output k reads inputs floor(k·down/up) + firstTapOffset[p] + j for j in [0, tapsPerPhase).
   */
  readonly firstTapOffset: Int32Array;
  /** Every phase's taps read the same backwards (true for integer decimation, up = 1): lets the inner loop fold. */
  readonly symmetric: boolean;
}

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series, converges fast for x ≤ 30). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const halfSq = (x / 2) ** 2;
  for (let k = 1; k < 200; k++) {
    term *= halfSq / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a given stopband attenuation in dB. */
export function kaiserBeta(attenuationDb: number): number {
  const a = attenuationDb;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a >= 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

function validate(fromRate: number, toRate: number, o: Required<ResampleFilterOptions>): void {
  for (const [name, rate] of [['fromRate', fromRate], ['toRate', toRate]] as const) {
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`capuchin resample: ${name} must be a positive integer in Hz, got ${rate}`);
  }
  if (!(o.passbandFraction > 0 && o.passbandFraction < 1)) {
    throw new RangeError(`capuchin resample: passbandFraction must be in (0, 1), got ${o.passbandFraction}`);
  }
  if (!(o.stopbandFraction > o.passbandFraction && o.stopbandFraction <= 2 - o.passbandFraction)) {
    throw new RangeError(
      `capuchin resample: stopbandFraction must be in (passbandFraction, 2 − passbandFraction] = (${o.passbandFraction}, ${2 - o.passbandFraction}], got ${o.stopbandFraction}`,
    );
  }
  if (!(o.attenuationDb >= 20 && o.attenuationDb <= 200)) {
    throw new RangeError(`capuchin resample: attenuationDb must be in [20, 200], got ${o.attenuationDb}`);
  }
}

/**
 * Design the polyphase low-pass for fromRate → toRate. Each phase is normalised to a DC gain of
 * exactly 1, so a constant input gives a constant output and amplitude is kept in both directions.
 */
export function designPolyphaseFilter(fromRate: number, toRate: number, options: ResampleFilterOptions = {}): PolyphaseFilter {
  const o = { ...DEFAULT_RESAMPLE_FILTER, ...options };
  validate(fromRate, toRate, o);
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const nyquist = Math.min(fromRate, toRate) / 2;
  const cutoffHz = (nyquist * (o.passbandFraction + o.stopbandFraction)) / 2;
  const transitionHz = nyquist * (o.stopbandFraction - o.passbandFraction);
  const beta = kaiserBeta(o.attenuationDb);

  // Kaiser's length estimate at the input rate, then in units of the upsampled rate.
  const inputTaps = Math.ceil((o.attenuationDb - 7.95) / (2.285 * 2 * Math.PI * (transitionHz / fromRate))) + 1;
  const halfWidth = Math.ceil((inputTaps * up) / 2); // half-length in upsampled samples
  const tapsPerPhase = Math.floor((2 * halfWidth) / up) + 1;
  if (up * tapsPerPhase > MAX_TABLE_SIZE) {
    throw new RangeError(
      `capuchin resample: ${fromRate} Hz → ${toRate} Hz reduces to ${up}:${down}, whose phase table (${up}×${tapsPerPhase}) is too large; resample in two steps through a common rate such as 48000 Hz`,
    );
  }

  const coefficients = new Float32Array(up * tapsPerPhase);
  const firstTapOffset = new Int32Array(up);
  const fc = cutoffHz / (fromRate * up); // cycles per upsampled sample
  const i0Beta = besselI0(beta);
  for (let phase = 0; phase < up; phase++) {
    // Output position k·down = q·up + phase; input n sits at n·up; the tap weight is h(phase + (q − n)·up).
    const first = Math.ceil((phase - halfWidth) / up); // first input index relative to q, as an offset ≤ 0
    firstTapOffset[phase] = first;
    let sum = 0;
    const row = new Float64Array(tapsPerPhase);
    for (let j = 0; j < tapsPerPhase; j++) {
      const t = phase - (first + j) * up; // distance in upsampled samples, t ∈ [−halfWidth, halfWidth]
      if (Math.abs(t) > halfWidth) continue;
      const x = 2 * fc * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / halfWidth;
      const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      row[j] = sinc * window;
      sum += row[j];
    }
    for (let j = 0; j < tapsPerPhase; j++) coefficients[phase * tapsPerPhase + j] = row[j] / sum;
  }
  return { up, down, tapsPerPhase, coefficients, firstTapOffset, symmetric: isSymmetric(coefficients, up, tapsPerPhase) };
}

function isSymmetric(coefficients: Float32Array, up: number, taps: number): boolean {
  for (let p = 0; p < up; p++) {
    for (let j = 0; j < taps >> 1; j++) {
      if (coefficients[p * taps + j] !== coefficients[p * taps + taps - 1 - j]) return false;
    }
  }
  return true;
}
