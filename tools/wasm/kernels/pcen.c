/*
 * PCEN's recursion (lib/features/pcen.ts, librosa.pcen's semantics) over rows of mel power, in float64, for
 * lib/features/pcenKernel.ts, built by tools/wasm/build.sh:
 *
 *   s = √P·scale,  M = (1 − b)·M + b·s,  out = (s / e^{gain·ln(eps + M)} + bias)^power − bias^power  (as f32)
 *
 * the JavaScript loop's operations in its order. √ and ÷ are IEEE (as Math.sqrt and /); ln and exp are this file's
 * (wasm has neither), table-driven to within about an ulp of Math.log and Math.exp, so that after rounding to f32
 * the output is almost always the same float (pcen.test.ts measures it).
 *
 * Memory: tables (filled by the caller) are 128 values each: 2^{j/128} (exp), ln c_j and 1/c_j for the cell
 * centres c_j = 1 + (j + 0.5)/128 (ln).
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

typedef union {
  double d;
  uint64_t u;
} bits64;

/* ln x for normal positive x: x = 2^e·m, m in [1, 2) in the cell of c; ln m = ln c + log1p(m/c − 1), |t| < 1/256. */
static inline double ln(double x, const double *ln_centre, const double *inv_centre) {
  bits64 v = {x};
  const int e = (int)(v.u >> 52) - 1023;
  const uint32_t cell = (uint32_t)(v.u >> 45) & 127;
  v.u = (v.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull; /* m */
  const double t = v.d * inv_centre[cell] - 1;
  const double series = t * (1 + t * (-0.5 + t * (1.0 / 3 + t * (-0.25 + t * (0.2 + t * (-1.0 / 6))))));
  /* ln 2 in two parts: e·hi is exact */
  return e * 0.6931471806019545 + (ln_centre[cell] + series + e * -4.2009150726810846e-11);
}

/* e^x for |x| < 700: x = (k/128)·ln 2 + r, |r| ≤ ln 2/256; e^x = 2^{k >> 7}·2^{(k & 127)/128}·e^r. */
static inline double exp_(double x, const double *pow2) {
  const double k = __builtin_rint(x * 184.6649652337873); /* 128 / ln 2 */
  /* ln 2 / 128 in two parts: the high part has 32 bits, so k·hi is exact */
  const double r = (x - k * 0.005415212348452769) - k * -3.2819649005320973e-13;
  const int64_t ki = (int64_t)k;
  const double er = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  bits64 scale;
  scale.u = (uint64_t)((ki >> 7) + 1023) << 52;
  return scale.d * pow2[ki & 127] * er;
}

/* ln of both lanes: ln() lane by lane, with its arithmetic in f64x2 and the table reads per lane. */
static inline v128_t ln2(v128_t x, const double *ln_centre, const double *inv_centre) {
  bits64 v0 = {wasm_f64x2_extract_lane(x, 0)}, v1 = {wasm_f64x2_extract_lane(x, 1)};
  const int e0 = (int)(v0.u >> 52) - 1023, e1 = (int)(v1.u >> 52) - 1023;
  const uint32_t c0 = (uint32_t)(v0.u >> 45) & 127, c1 = (uint32_t)(v1.u >> 45) & 127;
  v0.u = (v0.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
  v1.u = (v1.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
  const v128_t t = wasm_f64x2_sub(wasm_f64x2_mul(wasm_f64x2_make(v0.d, v1.d), wasm_f64x2_make(inv_centre[c0], inv_centre[c1])), wasm_f64x2_splat(1));
  v128_t a = wasm_f64x2_mul(t, wasm_f64x2_splat(-1.0 / 6));
  a = wasm_f64x2_mul(t, wasm_f64x2_add(wasm_f64x2_splat(0.2), a));
  a = wasm_f64x2_mul(t, wasm_f64x2_add(wasm_f64x2_splat(-0.25), a));
  a = wasm_f64x2_mul(t, wasm_f64x2_add(wasm_f64x2_splat(1.0 / 3), a));
  a = wasm_f64x2_mul(t, wasm_f64x2_add(wasm_f64x2_splat(-0.5), a));
  const v128_t series = wasm_f64x2_mul(t, wasm_f64x2_add(wasm_f64x2_splat(1), a));
  const v128_t e = wasm_f64x2_make(e0, e1);
  const v128_t low = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_make(ln_centre[c0], ln_centre[c1]), series), wasm_f64x2_mul(e, wasm_f64x2_splat(-4.2009150726810846e-11)));
  return wasm_f64x2_add(wasm_f64x2_mul(e, wasm_f64x2_splat(0.6931471806019545)), low);
}

/* e^x of both lanes: exp_() lane by lane, as ln2. */
static inline v128_t exp2x(v128_t x, const double *pow2) {
  const v128_t k = wasm_f64x2_nearest(wasm_f64x2_mul(x, wasm_f64x2_splat(184.6649652337873)));
  const v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, wasm_f64x2_splat(0.005415212348452769))), wasm_f64x2_mul(k, wasm_f64x2_splat(-3.2819649005320973e-13)));
  v128_t a = wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 120));
  a = wasm_f64x2_mul(r, wasm_f64x2_add(wasm_f64x2_splat(1.0 / 24), a));
  a = wasm_f64x2_mul(r, wasm_f64x2_add(wasm_f64x2_splat(1.0 / 6), a));
  a = wasm_f64x2_mul(r, wasm_f64x2_add(wasm_f64x2_splat(0.5), a));
  a = wasm_f64x2_mul(r, wasm_f64x2_add(wasm_f64x2_splat(1), a));
  const v128_t er = wasm_f64x2_add(wasm_f64x2_splat(1), a);
  const int64_t k0 = (int64_t)wasm_f64x2_extract_lane(k, 0), k1 = (int64_t)wasm_f64x2_extract_lane(k, 1);
  bits64 s0, s1;
  s0.u = (uint64_t)((k0 >> 7) + 1023) << 52;
  s1.u = (uint64_t)((k1 >> 7) + 1023) << 52;
  return wasm_f64x2_mul(wasm_f64x2_mul(wasm_f64x2_make(s0.d, s1.d), wasm_f64x2_make(pow2[k0 & 127], pow2[k1 & 127])), er);
}

/* One value: the recursion's step for band c (the scalar path: an odd last band, a general power). */
static inline float pcen_one(float p, double *smooth, double keep, double b, double gain, double bias, double power, double bias_pow,
                             double eps, double scale, int sqrt_power, const double *pow2, const double *ln_centre, const double *inv_centre) {
  const double s = __builtin_sqrt((double)p) * scale;
  const double m = keep * *smooth + b * s;
  *smooth = m;
  const double v = s / exp_(gain * ln(eps + m, ln_centre, inv_centre), pow2) + bias;
  return (float)((sqrt_power ? __builtin_sqrt(v) : exp_(power * ln(v, ln_centre, inv_centre), pow2)) - bias_pow);
}

/*
 * rows × cols values of src (f32 mel power) to dst (f32 PCEN), from the smoother state smooth[cols] (f64, updated).
 * bias_pow: bias^power (the caller's Math.pow); sqrt_power: power is 0.5 (then √ in place of the power). With √,
 * two bands at a time in f64x2 lanes: each lane the scalar path's operations in its order, so the same values.
 */
EXPORT(pcen_rows) void pcen_rows(const float *src, float *dst, uint32_t rows, uint32_t cols, double *smooth, double b, double gain,
                                 double bias, double power, double bias_pow, double eps, double scale, int sqrt_power,
                                 const double *pow2, const double *ln_centre, const double *inv_centre) {
  const double keep = 1 - b;
  const uint32_t pairs = sqrt_power ? cols / 2 : 0;
  const v128_t vkeep = wasm_f64x2_splat(keep), vb = wasm_f64x2_splat(b), vgain = wasm_f64x2_splat(gain), vbias = wasm_f64x2_splat(bias);
  const v128_t vbias_pow = wasm_f64x2_splat(bias_pow), veps = wasm_f64x2_splat(eps), vscale = wasm_f64x2_splat(scale);
  for (uint32_t r = 0; r < rows; r++, src += cols, dst += cols) {
    for (uint32_t q = 0; q < pairs; q++) {
      const uint32_t c = 2 * q;
      const v128_t p = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(src + c));
      const v128_t s = wasm_f64x2_mul(wasm_f64x2_sqrt(p), vscale);
      const v128_t m = wasm_f64x2_add(wasm_f64x2_mul(vkeep, wasm_v128_load(smooth + c)), wasm_f64x2_mul(vb, s));
      wasm_v128_store(smooth + c, m);
      const v128_t v = wasm_f64x2_add(wasm_f64x2_div(s, exp2x(wasm_f64x2_mul(vgain, ln2(wasm_f64x2_add(veps, m), ln_centre, inv_centre)), pow2)), vbias);
      wasm_v128_store64_lane(dst + c, wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sub(wasm_f64x2_sqrt(v), vbias_pow)), 0);
    }
    for (uint32_t c = 2 * pairs; c < cols; c++)
      dst[c] = pcen_one(src[c], smooth + c, keep, b, gain, bias, power, bias_pow, eps, scale, sqrt_power, pow2, ln_centre, inv_centre);
  }
}
