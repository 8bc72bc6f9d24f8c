/* The SSE subset minimp3 uses, on wasm SIMD (clang vector extensions). */
typedef float __m128 __attribute__((__vector_size__(16), __aligned__(16)));
typedef float __m128_u __attribute__((__vector_size__(16), __aligned__(1), __may_alias__));
typedef long long __m128i __attribute__((__vector_size__(16), __aligned__(16)));
typedef long long __m64 __attribute__((__vector_size__(8), __aligned__(1)));
#define _MM_SHUFFLE(z, y, x, w) (((z) << 6) | ((y) << 4) | ((x) << 2) | (w))
static inline __m128 _mm_loadu_ps(const float *p) { return *(const __m128_u *)p; }
static inline void _mm_storeu_ps(float *p, __m128 v) { *(__m128_u *)p = v; }
static inline __m128 _mm_set1_ps(float x) { return (__m128){x, x, x, x}; }
static inline __m128 _mm_add_ps(__m128 a, __m128 b) { return a + b; }
static inline __m128 _mm_sub_ps(__m128 a, __m128 b) { return a - b; }
static inline __m128 _mm_mul_ps(__m128 a, __m128 b) { return a * b; }
static inline void _mm_store_ss(float *p, __m128 v) { *p = v[0]; }
static inline void _mm_storel_pi(__m64 *p, __m128 v) { float *f = (float *)p; f[0] = v[0]; f[1] = v[1]; }
#define _mm_shuffle_ps(a, b, imm) \
  __builtin_shufflevector((a), (b), (imm) & 3, ((imm) >> 2) & 3, 4 + (((imm) >> 4) & 3), 4 + (((imm) >> 6) & 3))
/* Used only by mp3dec_f32_to_s16, which this build compiles but never calls. */
#include <wasm_simd128.h>
static inline __m128 _mm_min_ps(__m128 a, __m128 b) { return (__m128)wasm_f32x4_pmin((v128_t)b, (v128_t)a); }
static inline __m128 _mm_max_ps(__m128 a, __m128 b) { return (__m128)wasm_f32x4_pmax((v128_t)b, (v128_t)a); }
static inline __m128i _mm_cvtps_epi32(__m128 a) { return (__m128i)wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest((v128_t)a)); }
static inline __m128i _mm_packs_epi32(__m128i a, __m128i b) { return (__m128i)wasm_i16x8_narrow_i32x4((v128_t)a, (v128_t)b); }
#define _mm_extract_epi16(v, i) ((int)wasm_u16x8_extract_lane((v128_t)(v), (i)))
