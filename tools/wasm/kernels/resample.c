/*
 * The resampler's inner loop (lib/audio/resampleKernel.ts) on wasm SIMD f32x4, built by tools/wasm/build.sh.
 *
 * run(x, out, count, coef, taps, offs, up, down, q, phase): for i in [0, count)
 *   out[i] = Σ_j coef[phase·taps + j] · x[q + offs[phase] + j]    (taps a multiple of 4, four lanes summed in order)
 *   phase += down; q += phase / up; phase %= up
 * Each lane accumulates its own float32 products in tap order, then the lanes are added 0 + 1 + 2 + 3; the
 * JavaScript loop resample.ts runs without wasm SIMD sums in float64 and agrees to about 1e-6 (resample.test.ts).
 */
#include <stdint.h>
#include <wasm_simd128.h>

__attribute__((export_name("run")))
void run(const float *x, float *out, uint32_t count, const float *coef, uint32_t taps, const int32_t *offs,
         uint32_t up, uint32_t down, uint32_t q, uint32_t phase) {
  for (uint32_t i = 0; i < count; i++) {
    const float *row = coef + phase * taps;
    const float *row_end = row + taps;
    const float *b = x + (int32_t)(q + (uint32_t)offs[phase]);
    v128_t acc = wasm_f32x4_const(0, 0, 0, 0);
    do {
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(row), wasm_v128_load(b)));
      row += 4;
      b += 4;
    } while (row < row_end);
    out[i] = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
             wasm_f32x4_extract_lane(acc, 3);
    phase += down;
    q += phase / up;
    phase %= up;
  }
}
