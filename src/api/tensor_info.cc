#include "api/tensor_info.h"

#include <cstring>

#include "core/dtype.h"
#include "core/fp16.h"

namespace detlite {
namespace api {

TensorInfo MakeTensorInfo(const ir::Subgraph& sg, int32_t index) {
  const ir::Tensor& t = sg.tensors[static_cast<size_t>(index)];
  TensorInfo info;
  info.index = index;
  info.name = t.name;
  info.dtype = std::string(DTypeName(t.dtype));
  info.shape = t.shape.dims();
  info.shape_signature = t.shape_signature;
  info.quant.scale = t.quant.scale;
  info.quant.zero_point = t.quant.zero_point;
  info.quant.quantized_dimension = t.quant.quantized_dimension;
  return info;
}

}  // namespace api

namespace {

template <typename T>
void Convert(const std::vector<uint8_t>& bytes, const QuantInfo& q, const TensorInfo& info,
             std::vector<float>* out) {
  const size_t n = bytes.size() / sizeof(T);
  out->resize(n);
  // Per-axis: stride of the quantized dimension.
  size_t inner = 1;
  int64_t axis_size = 1;
  if (q.scale.size() > 1) {
    for (size_t d = static_cast<size_t>(q.quantized_dimension) + 1; d < info.shape.size(); ++d) {
      inner *= static_cast<size_t>(info.shape[d]);
    }
    axis_size = static_cast<int64_t>(q.scale.size());
  }
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    float f = static_cast<float>(v);
    if (!q.scale.empty()) {
      const size_t c = q.scale.size() > 1 ? (i / inner) % static_cast<size_t>(axis_size) : 0;
      const float zp = c < q.zero_point.size() ? static_cast<float>(q.zero_point[c]) : 0.0f;
      f = q.scale[c] * (f - zp);
    }
    (*out)[i] = f;
  }
}

}  // namespace

std::vector<float> HostTensor::ToFloat() const {
  std::vector<float> out;
  const std::string& d = info.dtype;
  if (d == "float32") {
    out.resize(bytes.size() / 4);
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * 4);
  } else if (d == "float16") {
    out.resize(bytes.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
      uint16_t h;
      std::memcpy(&h, bytes.data() + 2 * i, 2);
      out[i] = HalfToFloat(h);
    }
  } else if (d == "uint8") {
    Convert<uint8_t>(bytes, info.quant, info, &out);
  } else if (d == "int8") {
    Convert<int8_t>(bytes, info.quant, info, &out);
  } else if (d == "int16") {
    Convert<int16_t>(bytes, info.quant, info, &out);
  } else if (d == "int32") {
    Convert<int32_t>(bytes, info.quant, info, &out);
  } else if (d == "int64") {
    Convert<int64_t>(bytes, info.quant, info, &out);
  } else if (d == "bool") {
    Convert<uint8_t>(bytes, QuantInfo{}, info, &out);
  }
  return out;
}

}  // namespace detlite
