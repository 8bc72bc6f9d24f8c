// N-API glue of capuchin_native.node: every kernel is fn(heap: Float32Array, params: Int32Array); see
// native.h for the parameter layouts. Errors (oneDNN's included) become JS exceptions naming the kernel.
#include <node_api.h>
#include <omp.h>

#include <exception>
#include <string>

#include "native.h"

namespace {

using capuchin::HeapFn;

napi_value fail(napi_env env, const std::string& msg) {
  napi_throw_error(env, nullptr, ("capuchin_native: " + msg).c_str());
  return nullptr;
}

bool typedArray(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  return napi_get_typedarray_info(env, v, &type, length, data, &ab, &offset) == napi_ok && type == want && *data;
}

template <HeapFn FN>
napi_value call(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* heap;
  void* params;
  size_t heapLength, paramLength;
  if (argc < 2 || !typedArray(env, argv[0], napi_float32_array, &heap, &heapLength) ||
      !typedArray(env, argv[1], napi_int32_array, &params, &paramLength) || paramLength < capuchin::PARAM_COUNT)
    return fail(env, "expected (heap: Float32Array, params: Int32Array of 23)");
  const int32_t* p = static_cast<const int32_t*>(params);
  omp_set_num_threads(p[capuchin::THREADS_AT] > 0 ? p[capuchin::THREADS_AT] : 1);
  try {
    FN(static_cast<uint8_t*>(heap), p);
  } catch (const std::exception& e) {
    return fail(env, e.what());
  }
  return nullptr;
}

napi_value Version(napi_env env, napi_callback_info) {
  const std::string s = "oneDNN " + capuchin::dnnlVersion();
  napi_value out;
  napi_create_string_utf8(env, s.c_str(), s.size(), &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"convForward", nullptr, call<capuchin::convForward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackwardData", nullptr, call<capuchin::convBackwardData>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackwardFilter", nullptr, call<capuchin::convBackwardFilter>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, call<capuchin::maxPool>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, call<capuchin::batchNorm>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormGrad", nullptr, call<capuchin::batchNormGrad>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, call<capuchin::adam>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, call<capuchin::maxPoolGrad>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceLeading", nullptr, call<capuchin::reduceLeading>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, call<capuchin::binary>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, call<capuchin::unary>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(capuchin_native, Init)
