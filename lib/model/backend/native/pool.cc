// MaxPoolGrad: each dy value goes to the first input position of its window (row-major) that equals the
// pooled maximum, the tfjs cpu backend's rule, so ties and overlapping windows match tf.grad on cpu.
#include <cstring>
#include <vector>

#include "native.h"

namespace capuchin {

void maxPoolGrad(uint8_t* heap, const int32_t* p) {
  const float* dy = reinterpret_cast<const float*>(heap + p[0]);
  const float* x = reinterpret_cast<const float*>(heap + p[1]);
  const float* y = reinterpret_cast<const float*>(heap + p[2]);
  float* dx = reinterpret_cast<float*>(heap + p[3]);
  const int n = p[4], h = p[5], w = p[6], c = p[7], oh = p[8], ow = p[9], fh = p[10], fw = p[11], sh = p[12],
            sw = p[13], top = p[14], left = p[15];
  const long rowStride = static_cast<long>(w) * c;
  std::memset(dx, 0, sizeof(float) * n * h * rowStride);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < n; b++) {
    std::vector<unsigned char> found(c);
    const long xBatch = b * h * rowStride;
    for (int oy = 0; oy < oh; oy++) {
      const int h0 = oy * sh - top;
      const int hFrom = h0 < 0 ? 0 : h0, hTo = h0 + fh > h ? h : h0 + fh;
      for (int ox = 0; ox < ow; ox++) {
        const int w0 = ox * sw - left;
        const int wFrom = w0 < 0 ? 0 : w0, wTo = w0 + fw > w ? w : w0 + fw;
        const long yAt = ((static_cast<long>(b) * oh + oy) * ow + ox) * c;
        const float* max = y + yAt;
        const float* g = dy + yAt;
        std::memset(found.data(), 0, c);
        for (int hh = hFrom; hh < hTo; hh++) {
          for (int ww = wFrom; ww < wTo; ww++) {
            const long at = xBatch + hh * rowStride + static_cast<long>(ww) * c;
            const float* xv = x + at;
            float* d = dx + at;
            for (int ch = 0; ch < c; ch++) {
              const bool hit = !found[ch] && xv[ch] == max[ch];
              if (hit) d[ch] += g[ch];
              found[ch] |= hit;
            }
          }
        }
      }
    }
  }
}

}  // namespace capuchin
