/**
 * Natural log of float32 values from their bits: ln v = e·ln 2 + ln c + log1p((m − c)/c), with v = 2^e·m,
 * c the centre of m's 1/128-wide table cell and a degree-5 series for log1p (|t| < 1/256, error < 1e-15).
 *
 * Reason: once the FFT moved to wasm SIMD, the logarithms of powerToDb were a large part of the log-mel row.
 * `npm run bench -- --only features` keeps the comparison: the log-mel row's extra fields lnTableMs and mathLogMs
 * time this and Math.log on the same mel powers of two recordings (18 M values: 114 ms against 141 ms on 2026-12-05,
 * with CI running beside it). Agrees with Math.log to 1e-15 (absolute, relative for |ln v| > 1; ln.test.ts). Zero,
 * subnormal, infinite, negative and NaN inputs go to Math.log.
 */
const CELLS = 128;
const LN_CENTRE = new Float64Array(CELLS);
const INV_CENTRE = new Float64Array(CELLS);
for (let i = 0; i < CELLS; i++) {
  const c = 1 + (i + 0.5) / CELLS;
  LN_CENTRE[i] = Math.log(c);
  INV_CENTRE[i] = 1 / c;
}
const MANTISSA_SCALE = 2 ** -23;

/** ln of the float32 whose bits are `bits` (as read through a Uint32Array over the same values). */
export function lnFloat32Bits(bits: number, value: number): number {
  const exponent = bits >>> 23;
  if (exponent === 0 || exponent >= 255) return Math.log(value);
  const mantissa = bits & 0x7fffff;
  const cell = mantissa >>> 16;
  const t = (1 + mantissa * MANTISSA_SCALE) * INV_CENTRE[cell] - 1;
  const series = t * (1 + t * (-0.5 + t * (1 / 3 + t * (-0.25 + t * 0.2))));
  return (exponent - 127) * Math.LN2 + LN_CENTRE[cell] + series;
}
