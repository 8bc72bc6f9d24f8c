// Convolutions on oneDNN 2.x (the library PyTorch's CPU convolutions use; Debian libdnnl), in place on the
// tfjs wasm heap: forward with bias and ReLU fused, the input gradient and the filter gradient. Layouts are
// tfjs's: activations NHWC, filters HWIO; oneDNN's preferred filter layout is reached by a reorder of the
// (small) filter only. Primitives are cached by shape and attributes.
//
// p holds, in order:
//   0 a, 1 b, 2 c, 3 d   byte offsets (meaning per function below; -1 = absent)
//   4 n, 5 h, 6 w, 7 ci, 8 oh, 9 ow, 10 co, 11 fh, 12 fw, 13 sh, 14 sw,
//   15 padTop, 16 padLeft, 17 padBottom, 18 padRight, 19 dilationH, 20 dilationW (1 = none),
//   21 relu (forward only), 22 threads
// forward:        a = x, b = filter, c = bias or -1, d = y
// backwardData:   a = dy, b = filter, d = dx
// backwardFilter: a = x, b = dy, d = dW (HWIO)
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "native.h"

namespace {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

enum Param { A, B, C, D, N, H, W, CI, OH, OW, CO, FH, FW, SH, SW, PT, PL, PB, PR, DH, DW, RELU, THREADS, COUNT };

struct ConvShape {
  int v[COUNT];
  memory::dims src() const { return {v[N], v[CI], v[H], v[W]}; }
  memory::dims dst() const { return {v[N], v[CO], v[OH], v[OW]}; }
  memory::dims wei() const { return {v[CO], v[CI], v[FH], v[FW]}; }
  memory::dims strides() const { return {v[SH], v[SW]}; }
  memory::dims dilates() const { return {v[DH] - 1, v[DW] - 1}; }
  memory::dims padL() const { return {v[PT], v[PL]}; }
  memory::dims padR() const { return {v[PB], v[PR]}; }
  std::string key(char kind, bool bias) const {
    std::string k(1, kind);
    for (int i = N; i <= THREADS; i++)  // oneDNN plans for the thread count it is created with
      k += ',' + std::to_string(v[i]);
    return k + (bias ? "b" : "");
  }
};

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

// One cached operation: the primitive, a filter reorder (user HWIO <-> oneDNN's layout) and its buffer.
struct Op {
  dnnl::primitive prim;
  memory::desc src, wei, dst, bias;
  bool reorderWei = false;
  dnnl::reorder weiReorder;
  std::vector<float> weiBuf;
};

// Per OS thread: fold workers train the same shapes at once, and an Op's filter buffer is scratch space.
thread_local std::map<std::string, std::shared_ptr<Op>> cache;

memory::desc act(const memory::dims& d) { return memory::desc(d, dt::f32, tag::nhwc); }
memory::desc userWei(const ConvShape& s) { return memory::desc(s.wei(), dt::f32, tag::hwio); }

dnnl::convolution_forward::primitive_desc forwardPd(const ConvShape& s, bool bias, bool relu) {
  memory::desc weiAny(s.wei(), dt::f32, tag::any);
  auto d = bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, algorithm::convolution_direct,
                                                  act(s.src()), weiAny, memory::desc({s.v[CO]}, dt::f32, tag::a),
                                                  act(s.dst()), s.strides(), s.dilates(), s.padL(), s.padR())
                : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, algorithm::convolution_direct,
                                                  act(s.src()), weiAny, act(s.dst()), s.strides(), s.dilates(),
                                                  s.padL(), s.padR());
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops po;
    po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(po);
  }
  return dnnl::convolution_forward::primitive_desc(d, attr, engine());
}

std::shared_ptr<Op> lookup(const std::string& key) {
  auto it = cache.find(key);
  return it == cache.end() ? nullptr : it->second;
}

// Bounded: counting meets a new shape at each recording's last chunk; a full cache starts over.
constexpr size_t CACHE_LIMIT = 256;

void store(const std::string& key, const std::shared_ptr<Op>& op) {
  if (cache.size() >= CACHE_LIMIT) cache.clear();
  cache[key] = op;
}

void setWeiReorder(Op& op, const memory::desc& user, const memory::desc& lib, bool toLib) {
  op.reorderWei = user != lib;
  if (!op.reorderWei) return;
  op.weiBuf.resize(lib.get_size() / sizeof(float));
  memory u(user, engine(), nullptr), l(lib, engine(), op.weiBuf.data());
  op.weiReorder = toLib ? dnnl::reorder(u, l) : dnnl::reorder(l, u);
}

// The stream is per OS thread: tfjs runs kernels from the JS thread of each worker.
dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

// The filter (user HWIO at `at`) as the primitive reads it: reordered into the Op's buffer when its layout differs.
memory filterIn(Op& op, uint8_t* at, const ConvShape& s) {
  memory user(userWei(s), engine(), at);
  if (!op.reorderWei) return user;
  memory w(op.wei, engine(), op.weiBuf.data());
  op.weiReorder.execute(stream(), user, w);
  return w;
}

void describe(Op& op, const dnnl::convolution_forward::primitive_desc& pd) {
  op.src = pd.src_desc();
  op.dst = pd.dst_desc();
  op.wei = pd.weights_desc();
  op.bias = pd.bias_desc();
}

void describe(Op& op, const dnnl::convolution_backward_data::primitive_desc& pd) {
  op.src = pd.diff_src_desc();
  op.dst = pd.diff_dst_desc();
  op.wei = pd.weights_desc();
}

void describe(Op& op, const dnnl::convolution_backward_weights::primitive_desc& pd) {
  op.src = pd.src_desc();
  op.dst = pd.diff_dst_desc();
  op.wei = pd.diff_weights_desc();
}

// The cached Op of `key`, else a new one from the primitive descriptor `plan()` gives (Conv: the primitive's
// class), with the filter reordered into oneDNN's layout before (weiToLib) or out of it after the primitive runs.
template <class Conv, class Plan>
std::shared_ptr<Op> cachedOp(const std::string& key, const ConvShape& s, bool weiToLib, Plan plan) {
  auto op = lookup(key);
  if (op) return op;
  op = std::make_shared<Op>();
  auto pd = plan();
  op->prim = Conv(pd);
  describe(*op, pd);
  setWeiReorder(*op, userWei(s), op->wei, weiToLib);
  store(key, op);
  return op;
}

// A backward primitive (Conv: convolution_backward_data or _weights; their descs take the same arguments),
// planned with the forward one as its hint.
template <class Conv>
std::shared_ptr<Op> backwardOp(const ConvShape& s, char kind, bool weiToLib) {
  return cachedOp<Conv>(s.key(kind, false), s, weiToLib, [&] {
    memory::desc weiAny(s.wei(), dt::f32, tag::any);
    typename Conv::desc d(algorithm::convolution_direct, act(s.src()), weiAny, act(s.dst()), s.strides(),
                          s.dilates(), s.padL(), s.padR());
    return typename Conv::primitive_desc(d, engine(), forwardPd(s, false, false));
  });
}

void forward(uint8_t* heap, const ConvShape& s) {
  const bool bias = s.v[C] >= 0;
  auto op = cachedOp<dnnl::convolution_forward>(s.key('f', bias), s, true,
                                                [&] { return forwardPd(s, bias, s.v[RELU] != 0); });
  auto& eng = engine();
  auto& strm = stream();
  memory w = filterIn(*op, heap + s.v[B], s);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(op->src, eng, heap + s.v[A])},
                                       {DNNL_ARG_WEIGHTS, w},
                                       {DNNL_ARG_DST, memory(op->dst, eng, heap + s.v[D])}};
  if (bias) args.insert({DNNL_ARG_BIAS, memory(op->bias, eng, heap + s.v[C])});
  op->prim.execute(strm, args);
  strm.wait();
}

void backwardData(uint8_t* heap, const ConvShape& s) {
  auto op = backwardOp<dnnl::convolution_backward_data>(s, 'd', true);
  auto& eng = engine();
  auto& strm = stream();
  memory w = filterIn(*op, heap + s.v[B], s);
  op->prim.execute(strm, {{DNNL_ARG_DIFF_DST, memory(op->dst, eng, heap + s.v[A])},
                          {DNNL_ARG_WEIGHTS, w},
                          {DNNL_ARG_DIFF_SRC, memory(op->src, eng, heap + s.v[D])}});
  strm.wait();
}

void backwardFilter(uint8_t* heap, const ConvShape& s) {
  auto op = backwardOp<dnnl::convolution_backward_weights>(s, 'w', false);
  auto& eng = engine();
  auto& strm = stream();
  memory userW(userWei(s), eng, heap + s.v[D]);
  memory w = op->reorderWei ? memory(op->wei, eng, op->weiBuf.data()) : userW;
  op->prim.execute(strm, {{DNNL_ARG_SRC, memory(op->src, eng, heap + s.v[A])},
                          {DNNL_ARG_DIFF_DST, memory(op->dst, eng, heap + s.v[B])},
                          {DNNL_ARG_DIFF_WEIGHTS, w}});
  if (op->reorderWei) op->weiReorder.execute(strm, w, userW);
  strm.wait();
}

}  // namespace

namespace capuchin {

static ConvShape shapeOf(const int32_t* p) {
  ConvShape s;
  std::memcpy(s.v, p, sizeof(s.v));
  return s;
}

void convForward(uint8_t* heap, const int32_t* p) { forward(heap, shapeOf(p)); }
void convBackwardData(uint8_t* heap, const int32_t* p) { backwardData(heap, shapeOf(p)); }
void convBackwardFilter(uint8_t* heap, const int32_t* p) { backwardFilter(heap, shapeOf(p)); }

std::string dnnlVersion() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
         (v->cpu_runtime == DNNL_RUNTIME_OMP ? " (OpenMP)" : "");
}

}  // namespace capuchin
