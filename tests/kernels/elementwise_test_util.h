// Helpers for the elementwise family's tests: quantize/dequantize, random
// data, and RunOp, which runs one operator through the real Prepare/Eval glue
// (an ir::Model of a single op inside the interpreter).
#ifndef DETLITE_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_
#define DETLITE_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "core/dtype.h"
#include "core/quant_params.h"
#include "core/shape.h"
#include "ir/builder.h"
#include "ir/graph.h"
#include "runtime/interpreter.h"

namespace detlite::elementwise_testing {

template <typename T>
T Quantize(float v, float scale, int32_t zero_point) {
  const double q = std::round(static_cast<double>(v) / scale) + zero_point;
  return static_cast<T>(std::clamp<double>(q, std::numeric_limits<T>::min(),
                                           std::numeric_limits<T>::max()));
}

template <typename T>
std::vector<T> QuantizeAll(const std::vector<float>& v, float scale,
                           int32_t zero_point) {
  std::vector<T> out;
  for (float x : v) out.push_back(Quantize<T>(x, scale, zero_point));
  return out;
}

template <typename T>
std::vector<float> DequantizeAll(const std::vector<T>& q, float scale,
                                 int32_t zero_point) {
  std::vector<float> out;
  for (T x : q) {
    out.push_back(scale * static_cast<float>(static_cast<int32_t>(x) - zero_point));
  }
  return out;
}

inline std::vector<float> RandomFloats(size_t n, float lo, float hi,
                                       uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

template <typename T>
std::vector<T> RandomInts(size_t n, uint32_t seed,
                          int64_t lo = std::numeric_limits<T>::min(),
                          int64_t hi = std::numeric_limits<T>::max()) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

template <typename T>
ir::Bytes ToBytes(const std::vector<T>& v) {
  ir::Bytes b(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

template <typename T>
std::vector<T> FromBytes(const uint8_t* data, size_t bytes) {
  std::vector<T> v(bytes / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), data, v.size() * sizeof(T));
  return v;
}

// One operand of RunOp: a graph input fed with `bytes`, or a constant.
struct Operand {
  DType dtype = DType::kFloat32;
  Shape shape;
  ir::Bytes bytes;
  QuantParams quant;
  bool constant = false;
};

template <typename T>
Operand In(DType dtype, Shape shape, const std::vector<T>& values,
           QuantParams quant = {}) {
  return Operand{dtype, std::move(shape), ToBytes(values), std::move(quant), false};
}
template <typename T>
Operand Const(DType dtype, Shape shape, const std::vector<T>& values,
              QuantParams quant = {}) {
  return Operand{dtype, std::move(shape), ToBytes(values), std::move(quant), true};
}

struct OpResult {
  Status status;
  Shape shape;
  ir::Bytes bytes;
};

// Builds the single-op model, prepares it (status carries Prepare errors),
// feeds the inputs and invokes. The output tensor is declared with shape
// `declared_out_shape` (kernels compute their own).
inline OpResult RunOp(ir::OpKind kind, const std::vector<Operand>& operands,
                      DType out_dtype, QuantParams out_quant = {},
                      ir::OpOptions options = std::monostate{},
                      Shape declared_out_shape = {}) {
  ir::Model model;
  ir::Builder b(&model);
  std::vector<int32_t> ins;
  std::vector<const ir::Bytes*> feeds;
  for (size_t i = 0; i < operands.size(); ++i) {
    const Operand& o = operands[i];
    const std::string name = "in" + std::to_string(i);
    if (o.constant) {
      ins.push_back(b.ConstantBytes(name, o.dtype, o.shape, o.bytes, o.quant));
    } else {
      ins.push_back(b.Input(name, o.dtype, o.shape, o.quant));
      feeds.push_back(&o.bytes);
    }
  }
  const int32_t out = b.Op(kind, ins, "out", out_dtype, declared_out_shape,
                           std::move(options), std::move(out_quant));
  b.Output(out);
  OpResult r;
  auto interp = runtime::Interpreter::Create(model);
  if (!interp.ok()) {
    r.status = interp.status();
    return r;
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    r.status = (*interp)->SetInput(static_cast<int>(i), feeds[i]->data(),
                                   feeds[i]->size());
    if (!r.status.ok()) return r;
  }
  r.status = (*interp)->Invoke();
  if (!r.status.ok()) return r;
  const runtime::TensorRef& t = (*interp)->output(0);
  r.shape = t.shape;
  r.bytes.assign(t.data, t.data + t.bytes);
  return r;
}

}  // namespace detlite::elementwise_testing

#endif  // DETLITE_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_
