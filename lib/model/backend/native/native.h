// capuchin's native kernels for the tfjs wasm backend (see ../README.md, "Native kernels").
//
// tfjs-backend-wasm keeps every tensor in one WebAssembly memory. The addon receives that memory as a
// Float32Array (HEAPF32) and an Int32Array of parameters whose first entries are byte offsets into it, and
// works in place. Each function's parameter layout is documented next to it; p[THREADS_AT] of every layout
// is the OpenMP thread count (set by the glue in addon.cc before the call).
#pragma once
#include <cstdint>
#include <string>

namespace capuchin {

// Where the thread count sits in every parameter array.
constexpr int THREADS_AT = 22;
constexpr int PARAM_COUNT = 23;

using HeapFn = void (*)(uint8_t* heap, const int32_t* p);

// conv.cc (oneDNN): 0 a, 1 b, 2 c, 3 d offsets, then n h w ci oh ow co fh fw sh sw padT padL padB padR dh dw relu
//   forward: a x, b filter HWIO, c bias or -1, d y;  backwardData: a dy, b filter, d dx;
//   backwardFilter: a x, b dy, d dW
void convForward(uint8_t* heap, const int32_t* p);
void convBackwardData(uint8_t* heap, const int32_t* p);
void convBackwardFilter(uint8_t* heap, const int32_t* p);
std::string dnnlVersion();

// pool.cc, NHWC; both take 4 n h w c oh ow fh fw sh sw padT padL (n..padL at 4..15)
//   maxPool: 0 x, 1 y;  maxPoolGrad: 0 dy, 1 x, 2 y (pooled), 3 dx
void maxPool(uint8_t* heap, const int32_t* p);
void maxPoolGrad(uint8_t* heap, const int32_t* p);

// norm.cc: 0 x, 1 mean, 2 variance, 3 offset or -1, 4 scale or -1, 5 y; 6 size, 7 channels,
//   8 mean length, 9 variance length, 10 offset length, 11 scale length (each 1 or channels), 12 ε bits
void batchNorm(uint8_t* heap, const int32_t* p);
// norm.cc, gradient for per-channel mean and variance: 0 dy, 1 x, 2 mean, 3 variance, 4 scale or -1,
//   5 dx, 6 dmean, 7 dvariance, 8 dscale, 9 doffset; 10 size, 11 channels, 12 ε bits, 13 scale length
void batchNormGrad(uint8_t* heap, const int32_t* p);

// reduce.cc: 0 x, 1 out; 2 outer, 3 inner, 4 mean (0/1). out[j] = Σ_i x[i·inner + j] (÷ outer for mean)
void reduceLeading(uint8_t* heap, const int32_t* p);

// optimizer.cc, Adam on one variable: 0 value, 1 m, 2 v, 3 gradient, 4 new value, 5 new m, 6 new v,
//   7 accBeta1, 8 accBeta2 (one float each); 9 size; float bits of 10 β1, 11 β2, 12 1-β1, 13 1-β2, 14 ε, 15 -lr
void adam(uint8_t* heap, const int32_t* p);

// elementwise.cc
// binary: 0 a, 1 b, 2 out; 3 op (0 add, 1 sub, 2 mul, 3 div, 4 relu gradient a·step(b)), 4 mode, 5 size (of out), 6 inner
//   mode 0: same shape; 1: b repeats every `inner` (b has inner values); 2: a repeats; 3: b scalar; 4: a scalar
void binary(uint8_t* heap, const int32_t* p);
// unary: 0 x, 1 out; 2 op (0 relu, 1 step with alpha = bit pattern p[4], 2 square, 3 floor), 3 size, 4 alpha bits
void unary(uint8_t* heap, const int32_t* p);

}  // namespace capuchin
