#include "prune/channel_slice.h"

#include <cstring>
#include <memory>

#include "core/fp16.h"

namespace detlite::prune {

ir::Tensor SliceConstant(const ir::Tensor& t, int dim, const std::vector<int>& keep) {
  ir::Tensor out = t;
  const size_t elem = DTypeSize(t.dtype);
  const int64_t outer = t.shape.FlatSize(0, dim);
  const int64_t inner = t.shape.FlatSize(dim + 1, t.shape.rank()) * static_cast<int64_t>(elem);
  const int64_t n = t.shape.dim(dim);
  auto bytes = std::make_shared<ir::Bytes>();
  bytes->resize(static_cast<size_t>(outer) * keep.size() * static_cast<size_t>(inner));
  uint8_t* dst = bytes->data();
  for (int64_t o = 0; o < outer; ++o) {
    for (int k : keep) {
      std::memcpy(dst, t.data->data() + static_cast<size_t>((o * n + k) * inner), static_cast<size_t>(inner));
      dst += inner;
    }
  }
  out.data = std::move(bytes);
  out.shape.dim(dim) = static_cast<int32_t>(keep.size());
  if (!out.shape_signature.empty()) out.shape_signature[static_cast<size_t>(dim)] = static_cast<int32_t>(keep.size());
  if (out.sparse_hint && !out.sparse_hint->block_map.empty()) out.sparse_hint.reset();
  return out;
}

ir::Tensor FloatConstant(const std::string& name, const Shape& shape, const std::vector<float>& values) {
  ir::Tensor t;
  t.name = name;
  t.dtype = DType::kFloat32;
  t.shape = shape;
  auto bytes = std::make_shared<ir::Bytes>(values.size() * 4);
  std::memcpy(bytes->data(), values.data(), bytes->size());
  t.data = std::move(bytes);
  return t;
}

ir::Tensor ToHalf(const ir::Tensor& t) {
  ir::Tensor out = t;
  out.dtype = DType::kFloat16;
  const size_t n = static_cast<size_t>(t.shape.NumElements());
  auto bytes = std::make_shared<ir::Bytes>(n * 2);
  for (size_t i = 0; i < n; ++i) {
    float f;
    std::memcpy(&f, t.data->data() + 4 * i, 4);
    const uint16_t h = FloatToHalf(f);
    std::memcpy(bytes->data() + 2 * i, &h, 2);
  }
  out.data = std::move(bytes);
  return out;
}

}  // namespace detlite::prune
