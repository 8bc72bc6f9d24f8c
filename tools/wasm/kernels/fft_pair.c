/*
 * Two real frames' spectra at once on wasm SIMD f64x2 (lane 0 is frame a, lane 1 frame b), for
 * lib/features/fftPairKernel.ts, built by tools/wasm/build.sh.
 *
 * Each lane runs exactly the scalar float64 arithmetic of a radix-2 FFT (no fused or reordered operations:
 * wasm SIMD has no fma and clang keeps IEEE order without -ffast-math), so both frames get the values a scalar
 * float64 radix-2 FFT would, whatever frame shares the call.
 *
 * Memory (all 16-byte aligned), n = fftLength / 2 complex points, a "pair" = (lane a, lane b):
 *   z    n points of (re pair, im pair); the caller writes z_a[i] = x_a[2i] + i·x_a[2i+1] (likewise b) at the
 *        bit-reversed position rev(i)
 *   tw   n − 1 twiddles (wr pair, wi pair): for each stage h = 1, 2, …, n/2, W_2h^j for j < h
 *   sw   n/2 + 1 twiddles e^{−2πik/fftLength} for the real split, k = 0..n/2
 * power(n, z, tw, sw, out_a, out_b):     in-place FFT of z, then |X_a[k]|² (f64) at out_a[k], |X_b[k]|² at out_b[k]
 * magnitude(n, z, tw, sw, out_a, out_b): the same with |X[k]| as f32
 * mel(n, z, tw, sw, out_a, out_b, pw, bands, mel_bins): the FFT, (|X_a[k]|², |X_b[k]|²) pairs at pw[k], then the
 *   sparse mel bank: bands holds (byte offset from pw, bin count) per band, followed by the weights of all bands
 *   in order as (w, w) pairs; band m's Σ P[bin]·w, summed in bin order, goes to out_a[m] and out_b[m] as f32.
 * mel_frames(...): windowing, FFT and mel bank of a run of frames in one call (see there).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef struct {
  v128_t re, im;
} cpair;

/* One butterfly: p, q = p + h ← p + w·q, p − w·q. */
static inline void butterfly(cpair *p, cpair *q, const cpair *w) {
  v128_t vr = wasm_f64x2_sub(wasm_f64x2_mul(q->re, w->re), wasm_f64x2_mul(q->im, w->im));
  v128_t vi = wasm_f64x2_add(wasm_f64x2_mul(q->re, w->im), wasm_f64x2_mul(q->im, w->re));
  v128_t ur = p->re, ui = p->im;
  q->re = wasm_f64x2_sub(ur, vr);
  q->im = wasm_f64x2_sub(ui, vi);
  p->re = wasm_f64x2_add(ur, vr);
  p->im = wasm_f64x2_add(ui, vi);
}

/*
 * In-place radix-2 decimation-in-time FFT of the bit-reversed z, stage by stage. From the second stage on, two
 * butterflies per iteration (h is even there): they are independent, so the engine can interleave them.
 */
static void fft_stages(uint32_t n, cpair *z, const cpair *tw) {
  cpair *const end = z + n;
  if (n > 1)
    for (cpair *g = z; g < end; g += 2) butterfly(g, g + 1, tw);
  tw += 1;
  for (uint32_t h = 2; h < n; tw += h, h <<= 1) {
    for (cpair *g = z; g < end; g += 2 * h) {
      const cpair *w = tw;
      for (cpair *p = g; p < g + h; p += 2, w += 2) {
        butterfly(p, p + h, w);
        butterfly(p + 1, p + 1 + h, w + 1);
      }
    }
  }
}

enum output { POWER, MAGNITUDE, PAIRS };

/* Bin values of both lanes at `at`: a pair (PAIRS), else lane a there and lane b `gap` bytes on. */
static inline void emit(enum output kind, char *at, uint32_t gap, v128_t v) {
  if (kind == PAIRS) {
    *(v128_t *)at = v;
  } else if (kind == MAGNITUDE) {
    *(float *)at = (float)wasm_f64x2_extract_lane(v, 0);
    *(float *)(at + gap) = (float)wasm_f64x2_extract_lane(v, 1);
  } else {
    *(double *)at = wasm_f64x2_extract_lane(v, 0);
    *(double *)(at + gap) = wasm_f64x2_extract_lane(v, 1);
  }
}

/* Bins k and n − k from a = z[k] (pk), b = z[n − k] (pj) and the split twiddle W^k (sk), written at ok and oj. */
static inline void split_pair(enum output kind, const cpair *pk, const cpair *pj, const cpair *sk, char *ok, char *oj, uint32_t gap) {
  const v128_t half = wasm_f64x2_splat(0.5);
  /* b = conj z[n − k]: er = (ar + br)/2, ei = (ai − bi)/2, or = (ai + bi)/2, oi = (br − ar)/2 */
  v128_t er = wasm_f64x2_mul(half, wasm_f64x2_add(pk->re, pj->re));
  v128_t ei = wasm_f64x2_mul(half, wasm_f64x2_sub(pk->im, pj->im));
  v128_t or_ = wasm_f64x2_mul(half, wasm_f64x2_add(pk->im, pj->im));
  v128_t oi = wasm_f64x2_mul(half, wasm_f64x2_sub(pj->re, pk->re));
  v128_t tr = wasm_f64x2_sub(wasm_f64x2_mul(sk->re, or_), wasm_f64x2_mul(sk->im, oi));
  v128_t ti = wasm_f64x2_add(wasm_f64x2_mul(sk->re, oi), wasm_f64x2_mul(sk->im, or_));
  /* X[k] = (er + tr, ei + ti), X[n − k] = (er − tr, ti − ei) */
  v128_t xr = wasm_f64x2_add(er, tr), xi = wasm_f64x2_add(ei, ti);
  v128_t yr = wasm_f64x2_sub(er, tr), yi = wasm_f64x2_sub(ti, ei);
  v128_t x = wasm_f64x2_add(wasm_f64x2_mul(xr, xr), wasm_f64x2_mul(xi, xi));
  v128_t y = wasm_f64x2_add(wasm_f64x2_mul(yr, yr), wasm_f64x2_mul(yi, yi));
  if (kind == MAGNITUDE) {
    x = wasm_f64x2_sqrt(x);
    y = wasm_f64x2_sqrt(y);
  }
  emit(kind, ok, gap, x);
  emit(kind, oj, gap, y);
}

/*
 * The real split, X[k] = E[k] + W^k·O[k] and X[n − k] = conj(E[k] − W^k·O[k]) for k = 1..n/2, with DC and Nyquist
 * from z[0]; writes |X|² (|X| for MAGNITUDE) of both lanes for k = 0..n: lane a at out_a, lane b at out_b.
 */
static inline void split(enum output kind, uint32_t n, const cpair *z, const cpair *sw, char *out_a, char *out_b) {
  const uint32_t stride = kind == PAIRS ? 16 : kind == MAGNITUDE ? 4 : 8;
  const uint32_t gap = (uint32_t)(out_b - out_a);
  v128_t dc = wasm_f64x2_add(z[0].re, z[0].im);
  v128_t nyquist = wasm_f64x2_sub(z[0].re, z[0].im);
  if (kind == MAGNITUDE) {
    dc = wasm_f64x2_abs(dc);
    nyquist = wasm_f64x2_abs(nyquist);
  } else {
    dc = wasm_f64x2_mul(dc, dc);
    nyquist = wasm_f64x2_mul(nyquist, nyquist);
  }
  char *ok = out_a, *oj = out_a + n * stride;
  emit(kind, ok, gap, dc);
  emit(kind, oj, gap, nyquist);
  const cpair *pk = z + 1, *pj = z + n - 1, *sk = sw + 1;
  ok += stride;
  oj -= stride;
  for (; pk <= pj; pk++, pj--, sk++, ok += stride, oj -= stride) split_pair(kind, pk, pj, sk, ok, oj, gap);
}

#define EXPORT(name) __attribute__((export_name(#name)))

EXPORT(power) void power(uint32_t n, cpair *z, const cpair *tw, const cpair *sw, double *out_a, double *out_b) {
  fft_stages(n, z, tw);
  split(POWER, n, z, sw, (char *)out_a, (char *)out_b);
}

EXPORT(magnitude) void magnitude(uint32_t n, cpair *z, const cpair *tw, const cpair *sw, float *out_a, float *out_b) {
  fft_stages(n, z, tw);
  split(MAGNITUDE, n, z, sw, (char *)out_a, (char *)out_b);
}

/* The sparse mel bank over the (|X_a|², |X_b|²) pairs at pw, band m's sum to out_a[m] and out_b[m] as f32. */
static inline void mel_bank(const v128_t *pw, const int32_t *bands, uint32_t mel_bins, float *out_a, float *out_b) {
  const v128_t *w = (const v128_t *)(bands + 2 * mel_bins);
  const int32_t *band = bands, *bands_end = bands + 2 * mel_bins;
  for (; band < bands_end; band += 2, out_a++, out_b++) {
    const v128_t *p = (const v128_t *)((const char *)pw + band[0]);
    const v128_t *end = p + band[1];
    v128_t sum = wasm_f64x2_const(0, 0);
    for (; p < end; p++, w++) sum = wasm_f64x2_add(sum, wasm_f64x2_mul(*p, *w));
    *out_a = (float)wasm_f64x2_extract_lane(sum, 0);
    *out_b = (float)wasm_f64x2_extract_lane(sum, 1);
  }
}

EXPORT(mel) void mel(uint32_t n, cpair *z, const cpair *tw, const cpair *sw, float *out_a, float *out_b, v128_t *pw,
                     const int32_t *bands, uint32_t mel_bins) {
  fft_stages(n, z, tw);
  split(PAIRS, n, z, sw, (char *)pw, (char *)pw);
  mel_bank(pw, bands, mel_bins, out_a, out_b);
}

/*
 * Window the frames at signal + off_a and signal + off_b into z (frame_length samples each, f32 times the f64
 * window, in lanes a and b; with remove_dc, minus the window-weighted mean times the window, as FrameAnalyzer.load
 * computes it: the sum in sample order, divided by window_sum), zero-padded to 2n points, at the bit-reversed
 * positions rev[i]. x is a scratch row of frame_length pairs.
 */
static inline void window_pair(uint32_t n, cpair *z, const int32_t *rev, const float *sa, const float *sb, const double *window,
                               uint32_t frame_length, int remove_dc, double window_sum, v128_t *x) {
  v128_t sum = wasm_f64x2_const(0, 0);
  for (uint32_t i = 0; i < frame_length; i++) {
    const v128_t w = wasm_f64x2_splat(window[i]);
    x[i] = wasm_f64x2_mul(wasm_f64x2_make((double)sa[i], (double)sb[i]), w);
    sum = wasm_f64x2_add(sum, x[i]);
  }
  if (remove_dc) {
    const v128_t mean = wasm_f64x2_div(sum, wasm_f64x2_splat(window_sum));
    for (uint32_t i = 0; i < frame_length; i++) x[i] = wasm_f64x2_sub(x[i], wasm_f64x2_mul(mean, wasm_f64x2_splat(window[i])));
  }
  const uint32_t pairs = frame_length >> 1;
  uint32_t i = 0;
  for (; i < pairs; i++) {
    cpair *at = z + rev[i];
    at->re = x[2 * i];
    at->im = x[2 * i + 1];
  }
  if (frame_length & 1) {
    cpair *at = z + rev[i];
    at->re = x[2 * i];
    at->im = wasm_f64x2_const(0, 0);
    i++;
  }
  for (; i < n; i++) {
    cpair *at = z + rev[i];
    at->re = wasm_f64x2_const(0, 0);
    at->im = wasm_f64x2_const(0, 0);
  }
}

/*
 * mel_frames: the mel rows of `frames` frames of signal (frame f at f·hop) into out (mel_bins f32 per row), two
 * frames per FFT; a lone last frame is paired with itself. The values equal mel() on frames windowed by
 * FrameAnalyzer.load, bit for bit. rev: the n bit-reversed positions; x: frame_length pairs of scratch.
 */
EXPORT(mel_frames) void mel_frames(uint32_t n, cpair *z, const cpair *tw, const cpair *sw, v128_t *pw, const int32_t *bands,
                                   uint32_t mel_bins, const int32_t *rev, const float *signal, uint32_t frames, uint32_t hop,
                                   const double *window, uint32_t frame_length, int remove_dc, double window_sum, v128_t *x,
                                   float *out) {
  for (uint32_t f = 0; f < frames; f += 2) {
    const uint32_t g = f + 1 < frames ? f + 1 : f;
    window_pair(n, z, rev, signal + f * hop, signal + g * hop, window, frame_length, remove_dc, window_sum, x);
    fft_stages(n, z, tw);
    split(PAIRS, n, z, sw, (char *)pw, (char *)pw);
    /* a lone frame's second lane goes to its own row too (the same values) */
    mel_bank(pw, bands, mel_bins, out + f * mel_bins, out + g * mel_bins);
  }
}
