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

/*
 * rows × cols values of src (f32 mel power) to dst (f32 PCEN), from the smoother state smooth[cols] (f64, updated).
 * bias_pow: bias^power (the caller's Math.pow); sqrt_power: power is 0.5 (then √ in place of the power).
 */
EXPORT(pcen_rows) void pcen_rows(const float *src, float *dst, uint32_t rows, uint32_t cols, double *smooth, double b, double gain,
                                 double bias, double power, double bias_pow, double eps, double scale, int sqrt_power,
                                 const double *pow2, const double *ln_centre, const double *inv_centre) {
  const double keep = 1 - b;
  for (uint32_t r = 0; r < rows; r++, src += cols, dst += cols) {
    for (uint32_t c = 0; c < cols; c++) {
      const double s = __builtin_sqrt((double)src[c]) * scale;
      const double m = keep * smooth[c] + b * s;
      smooth[c] = m;
      const double v = s / exp_(gain * ln(eps + m, ln_centre, inv_centre), pow2) + bias;
      dst[c] = (float)((sqrt_power ? __builtin_sqrt(v) : exp_(power * ln(v, ln_centre, inv_centre), pow2)) - bias_pow);
    }
  }
}
