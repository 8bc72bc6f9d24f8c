// Adam's update of one variable in one pass, the same float32 operations in the same order as tfjs-core's
// AdamOptimizer.applyGradients (which issues ~14 kernels per variable):
//   m' = m·β1 + g·(1-β1),  v' = v·β2 + g²·(1-β2),  m̂ = m'/(1-β1ᵗ),  v̂ = v'/(1-β2ᵗ),
//   value' = (m̂ / (√v̂ + ε))·(-lr) + value
#include <cmath>
#include <cstring>

#include "native.h"

namespace capuchin {

namespace {
float bitsToFloat(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}
}  // namespace

void adam(uint8_t* heap, const int32_t* p) {
  const float* value = reinterpret_cast<const float*>(heap + p[0]);
  const float* m = reinterpret_cast<const float*>(heap + p[1]);
  const float* v = reinterpret_cast<const float*>(heap + p[2]);
  const float* g = reinterpret_cast<const float*>(heap + p[3]);
  float* outValue = reinterpret_cast<float*>(heap + p[4]);
  float* outM = reinterpret_cast<float*>(heap + p[5]);
  float* outV = reinterpret_cast<float*>(heap + p[6]);
  const float accBeta1 = *reinterpret_cast<const float*>(heap + p[7]);
  const float accBeta2 = *reinterpret_cast<const float*>(heap + p[8]);
  const long size = p[9];
  const float beta1 = bitsToFloat(p[10]), beta2 = bitsToFloat(p[11]), oneMinusBeta1 = bitsToFloat(p[12]),
              oneMinusBeta2 = bitsToFloat(p[13]), eps = bitsToFloat(p[14]), minusLr = bitsToFloat(p[15]);
  const float c1 = 1.f - accBeta1, c2 = 1.f - accBeta2;
#pragma omp parallel for if (size >= (1 << 16)) schedule(static)
  for (long i = 0; i < size; i++) {
    const float m1 = m[i] * beta1 + g[i] * oneMinusBeta1;
    const float v1 = v[i] * beta2 + (g[i] * g[i]) * oneMinusBeta2;
    outM[i] = m1;
    outV[i] = v1;
    outValue[i] = ((m1 / c1) / (std::sqrt(v1 / c2) + eps)) * minusLr + value[i];
  }
}

}  // namespace capuchin
