#include "quant/quantize_constants.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

namespace detlite::quant {
namespace {

Status CheckFloatConstant(const ir::Tensor& t) {
  if (!t.is_constant() || t.dtype != DType::kFloat32) {
    return InvalidArgument("tensor '" + t.name + "' is not a float32 constant");
  }
  if (t.sparsity) return Unimplemented("tensor '" + t.name + "' is sparse");
  if (t.data->size() != static_cast<size_t>(t.shape.NumElements()) * 4) {
    return InvalidArgument("tensor '" + t.name + "' has " + std::to_string(t.data->size()) +
                           " bytes for shape " + t.shape.ToString());
  }
  return Status::Ok();
}

template <typename T>
ir::ConstBytes Pack(const std::vector<T>& v) {
  auto b = std::make_shared<ir::Bytes>(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(b->data(), v.data(), b->size());
  return b;
}

}  // namespace

std::vector<float> FloatValues(const ir::Tensor& t) {
  std::vector<float> v(t.data ? t.data->size() / 4 : 0);
  if (!v.empty()) std::memcpy(v.data(), t.data->data(), v.size() * 4);
  return v;
}

StatusOr<ir::Tensor> QuantizeWeights(const ir::Tensor& w, int axis, bool per_tensor) {
  RETURN_IF_ERROR(CheckFloatConstant(w));
  const int rank = w.shape.rank();
  if (axis < 0 || axis >= rank) {
    return InvalidArgument("weights '" + w.name + "' of shape " + w.shape.ToString() +
                           " have no axis " + std::to_string(axis));
  }
  const std::vector<float> v = FloatValues(w);
  const int64_t channels = per_tensor ? 1 : w.shape.dim(axis);
  int64_t inner = 1;
  for (int d = axis + 1; d < rank; ++d) inner *= w.shape.dim(d);
  const int64_t dim = w.shape.dim(axis);
  auto channel_of = [&](size_t i) -> size_t {
    return per_tensor ? 0 : static_cast<size_t>((static_cast<int64_t>(i) / inner) % dim);
  };
  std::vector<float> abs_max(static_cast<size_t>(channels), 0.0f);
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) return InvalidArgument("weights '" + w.name + "' hold a non-finite value");
    float& m = abs_max[channel_of(i)];
    m = std::max(m, std::fabs(v[i]));
  }
  ir::Tensor q = w;
  q.dtype = DType::kInt8;
  q.quant = {};
  for (float m : abs_max) {
    q.quant.scale.push_back(SymmetricParams(m, 127).scale);
    q.quant.zero_point.push_back(0);
  }
  q.quant.quantized_dimension = per_tensor ? 0 : axis;
  std::vector<int8_t> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const float s = q.quant.scale[channel_of(i)];
    out[i] = static_cast<int8_t>(std::clamp(std::nearbyint(v[i] / s), -127.0f, 127.0f));
  }
  q.data = Pack(out);
  return q;
}

StatusOr<ir::Tensor> QuantizeBias(const ir::Tensor& b, float input_scale,
                                  const std::vector<float>& weights_scales, DType dtype) {
  if (dtype != DType::kInt32 && dtype != DType::kInt64) {
    return InvalidArgument("bias type must be int32 or int64");
  }
  RETURN_IF_ERROR(CheckFloatConstant(b));
  const std::vector<float> v = FloatValues(b);
  if (weights_scales.size() != 1 && weights_scales.size() != v.size()) {
    return InvalidArgument("bias '" + b.name + "' has " + std::to_string(v.size()) +
                           " values for " + std::to_string(weights_scales.size()) +
                           " weight scales");
  }
  ir::Tensor q = b;
  q.dtype = dtype;
  q.quant = {};
  std::vector<int64_t> out(v.size());
  const double lim = dtype == DType::kInt32 ? 2147483647.0 : 9.0e18;
  for (size_t i = 0; i < v.size(); ++i) {
    const float s = input_scale * weights_scales[weights_scales.size() == 1 ? 0 : i];
    if (weights_scales.size() != 1 || i == 0) {
      q.quant.scale.push_back(s);
      q.quant.zero_point.push_back(0);
    }
    const double r = std::nearbyint(static_cast<double>(v[i]) / s);
    out[i] = static_cast<int64_t>(std::clamp<double>(r, -lim, lim));
  }
  if (dtype == DType::kInt64) {
    q.data = Pack(out);
  } else {
    q.data = Pack(std::vector<int32_t>(out.begin(), out.end()));
  }
  return q;
}

StatusOr<ir::Tensor> QuantizeConstant(const ir::Tensor& c, AffineParams p, DType dtype) {
  RETURN_IF_ERROR(CheckFloatConstant(c));
  int64_t lo = -128, hi = 127;
  if (dtype == DType::kUInt8) lo = 0, hi = 255;
  if (dtype == DType::kInt16) lo = -32768, hi = 32767;
  const std::vector<float> v = FloatValues(c);
  ir::Tensor q = c;
  q.dtype = dtype;
  q.quant = {};
  q.quant.scale = {p.scale};
  q.quant.zero_point = {p.zero_point};
  std::vector<int64_t> qv(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    qv[i] = static_cast<int64_t>(std::clamp<double>(
        std::nearbyint(static_cast<double>(v[i]) / p.scale) + static_cast<double>(p.zero_point),
        static_cast<double>(lo), static_cast<double>(hi)));
  }
  if (dtype == DType::kInt16) {
    std::vector<int16_t> o(qv.begin(), qv.end());
    q.data = Pack(o);
  } else if (dtype == DType::kUInt8) {
    std::vector<uint8_t> o(qv.begin(), qv.end());
    q.data = Pack(o);
  } else {
    std::vector<int8_t> o(qv.begin(), qv.end());
    q.data = Pack(o);
  }
  return q;
}

}  // namespace detlite::quant
