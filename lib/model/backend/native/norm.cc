// FusedBatchNorm forward: y = (x - mean) · scale / sqrt(variance + ε) + offset, each parameter either one
// value or one per channel (the last axis), as the tfjs cpu kernel reads them. The stock wasm kernel ran
// 7 ms for a [32, 75, 48, 16] tensor.
#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "native.h"

namespace capuchin {

void batchNorm(uint8_t* heap, const int32_t* p) {
  const float* x = reinterpret_cast<const float*>(heap + p[0]);
  const float* mean = reinterpret_cast<const float*>(heap + p[1]);
  const float* variance = reinterpret_cast<const float*>(heap + p[2]);
  const float* offset = p[3] >= 0 ? reinterpret_cast<const float*>(heap + p[3]) : nullptr;
  const float* scale = p[4] >= 0 ? reinterpret_cast<const float*>(heap + p[4]) : nullptr;
  float* y = reinterpret_cast<float*>(heap + p[5]);
  const long size = p[6];
  const int c = p[7];
  const int meanLen = p[8], varLen = p[9], offLen = p[10], scaleLen = p[11];
  float eps;
  std::memcpy(&eps, &p[12], sizeof eps);
  // per channel: y = (x - m[ch]) · a[ch] + o[ch], with a and m from the parameters in double, as cpu does
  std::vector<float> m(c), a(c), o(c);
  for (int ch = 0; ch < c; ch++) {
    const double sc = scale ? scale[scaleLen == 1 ? 0 : ch] : 1.0;
    a[ch] = static_cast<float>(sc / std::sqrt(static_cast<double>(variance[varLen == 1 ? 0 : ch]) + eps));
    m[ch] = mean[meanLen == 1 ? 0 : ch];
    o[ch] = offset ? offset[offLen == 1 ? 0 : ch] : 0.f;
  }
  const long rows = size / c;
  const float* mp = m.data();
  const float* ap = a.data();
  const float* op = o.data();
#pragma omp parallel for if (size >= (1 << 16)) schedule(static)
  for (long r = 0; r < rows; r++) {
    const float* xr = x + r * c;
    float* yr = y + r * c;
    for (int ch = 0; ch < c; ch++) yr[ch] = (xr[ch] - mp[ch]) * ap[ch] + op[ch];
  }
}

}  // namespace capuchin

namespace capuchin {

// FusedBatchNorm's gradient for per-channel mean / variance (the BatchNormalization layers in training),
// all five at once in two passes, where tfjs-core's gradient issues ~25 kernels and ~10 passes. With
// inv = 1/sqrt(variance + ε), s = scale (1 when absent), and sums over every axis but the channel:
//   dx = dy·s·inv,  dmean = -inv·s·Σdy,  dvariance = -½·inv³·s·Σdy(x-mean),  dscale = inv·Σdy(x-mean),  doffset = Σdy
void batchNormGrad(uint8_t* heap, const int32_t* p) {
  const float* dy = reinterpret_cast<const float*>(heap + p[0]);
  const float* x = reinterpret_cast<const float*>(heap + p[1]);
  const float* mean = reinterpret_cast<const float*>(heap + p[2]);
  const float* variance = reinterpret_cast<const float*>(heap + p[3]);
  const float* scale = p[4] >= 0 ? reinterpret_cast<const float*>(heap + p[4]) : nullptr;
  float* dx = reinterpret_cast<float*>(heap + p[5]);
  float* dmean = reinterpret_cast<float*>(heap + p[6]);
  float* dvar = reinterpret_cast<float*>(heap + p[7]);
  float* dscale = reinterpret_cast<float*>(heap + p[8]);
  float* doffset = reinterpret_cast<float*>(heap + p[9]);
  const long size = p[10];
  const int c = p[11];
  float eps;
  std::memcpy(&eps, &p[12], sizeof eps);
  const int scaleLen = p[13];
  const long rows = size / c;
  std::vector<double> inv(c), s(c);
  std::vector<float> m(c), k(c);
  for (int ch = 0; ch < c; ch++) {
    inv[ch] = 1.0 / std::sqrt(static_cast<double>(variance[ch]) + eps);
    s[ch] = scale ? scale[scaleLen == 1 ? 0 : ch] : 1.0;
    m[ch] = mean[ch];
    k[ch] = static_cast<float>(s[ch] * inv[ch]);
  }
  const int threads = size >= (1 << 16) ? omp_get_max_threads() : 1;
  std::vector<double> sums(static_cast<size_t>(threads) * 2 * c, 0.0);  // per thread: Σdy, Σdy(x-mean)
  const float* mp = m.data();
  const float* kp = k.data();
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    double* sdy = sums.data() + static_cast<size_t>(t) * 2 * c;
    double* sdyx = sdy + c;
#pragma omp for schedule(static)
    for (long r = 0; r < rows; r++) {
      const float* g = dy + r * c;
      const float* xr = x + r * c;
      float* d = dx + r * c;
      for (int ch = 0; ch < c; ch++) {
        sdy[ch] += g[ch];
        sdyx[ch] += static_cast<double>(g[ch]) * (xr[ch] - mp[ch]);
        d[ch] = g[ch] * kp[ch];
      }
    }
  }
  for (int ch = 0; ch < c; ch++) {
    double sdy = 0, sdyx = 0;
    for (int t = 0; t < threads; t++) {
      sdy += sums[static_cast<size_t>(t) * 2 * c + ch];
      sdyx += sums[static_cast<size_t>(t) * 2 * c + c + ch];
    }
    const double i = inv[ch];
    dmean[ch] = static_cast<float>(-i * s[ch] * sdy);
    dvar[ch] = static_cast<float>(-0.5 * i * i * i * s[ch] * sdyx);
    dscale[ch] = static_cast<float>(i * sdyx);
    doffset[ch] = static_cast<float>(sdy);
  }
}

}  // namespace capuchin
