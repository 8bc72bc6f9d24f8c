// Max pooling, forward and gradient, NHWC, the tfjs cpu backend's rules: the forward maximum ignores NaN
// (an all-NaN or empty window gives -inf), and each dy value goes to the first input position of its
// window (row-major) that equals the pooled maximum, so ties and overlapping windows match tf.grad on cpu.
// The channel loops are branch-free so the compiler vectorises them; OpenMP over batch × output rows.
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "native.h"

namespace capuchin {

namespace {

struct PoolShape {
  int n, h, w, c, oh, ow, fh, fw, sh, sw, top, left;
  explicit PoolShape(const int32_t* p)
      : n(p[4]), h(p[5]), w(p[6]), c(p[7]), oh(p[8]), ow(p[9]), fh(p[10]), fw(p[11]), sh(p[12]), sw(p[13]),
        top(p[14]), left(p[15]) {}
  long rowStride() const { return static_cast<long>(w) * c; }
};

}  // namespace

void maxPool(uint8_t* heap, const int32_t* p) {
  const float* x = reinterpret_cast<const float*>(heap + p[0]);
  float* y = reinterpret_cast<float*>(heap + p[1]);
  const PoolShape s(p);
  const long rowStride = s.rowStride();
  const float lowest = -std::numeric_limits<float>::infinity();
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < s.n; b++) {
    for (int oy = 0; oy < s.oh; oy++) {
      const int h0 = oy * s.sh - s.top;
      const int hFrom = h0 < 0 ? 0 : h0, hTo = h0 + s.fh > s.h ? s.h : h0 + s.fh;
      for (int ox = 0; ox < s.ow; ox++) {
        const int w0 = ox * s.sw - s.left;
        const int wFrom = w0 < 0 ? 0 : w0, wTo = w0 + s.fw > s.w ? s.w : w0 + s.fw;
        float* out = y + ((static_cast<long>(b) * s.oh + oy) * s.ow + ox) * s.c;
        for (int ch = 0; ch < s.c; ch++) out[ch] = lowest;
        for (int hh = hFrom; hh < hTo; hh++) {
          for (int ww = wFrom; ww < wTo; ww++) {
            const float* xv = x + static_cast<long>(b) * s.h * rowStride + hh * rowStride + static_cast<long>(ww) * s.c;
            for (int ch = 0; ch < s.c; ch++) out[ch] = xv[ch] > out[ch] ? xv[ch] : out[ch];  // NaN never wins
          }
        }
      }
    }
  }
}

void maxPoolGrad(uint8_t* heap, const int32_t* p) {
  const float* dy = reinterpret_cast<const float*>(heap + p[0]);
  const float* x = reinterpret_cast<const float*>(heap + p[1]);
  const float* y = reinterpret_cast<const float*>(heap + p[2]);
  float* dx = reinterpret_cast<float*>(heap + p[3]);
  const PoolShape s(p);
  const long rowStride = s.rowStride();
  // Windows overlap across output rows when fh > sh, so threads split the batch alone in that case.
  const bool rowsDisjoint = s.fh <= s.sh;
#pragma omp parallel
  {
    std::vector<int32_t> open(s.c);  // 1 while the channel's maximum has not been found in this window
#pragma omp for schedule(static)
    for (int b = 0; b < s.n; b++) std::memset(dx + b * s.h * rowStride, 0, sizeof(float) * s.h * rowStride);
    const long units = rowsDisjoint ? static_cast<long>(s.n) * s.oh : s.n;
#pragma omp for schedule(static)
    for (long u = 0; u < units; u++) {
      const int b = rowsDisjoint ? static_cast<int>(u / s.oh) : static_cast<int>(u);
      const int oyFrom = rowsDisjoint ? static_cast<int>(u % s.oh) : 0, oyTo = rowsDisjoint ? oyFrom + 1 : s.oh;
      const long xBatch = b * s.h * rowStride;
      for (int oy = oyFrom; oy < oyTo; oy++) {
        const int h0 = oy * s.sh - s.top;
        const int hFrom = h0 < 0 ? 0 : h0, hTo = h0 + s.fh > s.h ? s.h : h0 + s.fh;
        for (int ox = 0; ox < s.ow; ox++) {
          const int w0 = ox * s.sw - s.left;
          const int wFrom = w0 < 0 ? 0 : w0, wTo = w0 + s.fw > s.w ? s.w : w0 + s.fw;
          const long yAt = ((static_cast<long>(b) * s.oh + oy) * s.ow + ox) * s.c;
          const float* max = y + yAt;
          const float* g = dy + yAt;
          int32_t* o = open.data();
          for (int ch = 0; ch < s.c; ch++) o[ch] = 1;
          for (int hh = hFrom; hh < hTo; hh++) {
            for (int ww = wFrom; ww < wTo; ww++) {
              const long at = xBatch + hh * rowStride + static_cast<long>(ww) * s.c;
              const float* xv = x + at;
              float* d = dx + at;
              for (int ch = 0; ch < s.c; ch++) {
                const int32_t hit = o[ch] & (xv[ch] == max[ch]);
                d[ch] += hit ? g[ch] : 0.f;
                o[ch] &= ~hit;
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace capuchin
