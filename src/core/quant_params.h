// Affine quantization parameters: real = scale * (q - zero_point), per tensor
// (one scale) or per axis (one scale per slice along quantized_dimension).
#ifndef DETLITE_CORE_QUANT_PARAMS_H_
#define DETLITE_CORE_QUANT_PARAMS_H_

#include <cstdint>
#include <vector>

namespace detlite {

struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  std::vector<float> min;  // recorded calibration ranges, if any
  std::vector<float> max;
  int32_t quantized_dimension = 0;

  bool has_scale() const { return !scale.empty(); }
  bool per_axis() const { return scale.size() > 1; }
  bool empty() const {
    return scale.empty() && zero_point.empty() && min.empty() && max.empty();
  }
  bool operator==(const QuantParams&) const = default;
};

// Sparse storage of a constant tensor in TFLite's format (a generalization of
// CSR): dimensions are visited in traversal_order; block_map names the
// original dimensions that are blocked.
struct SparsityParams {
  struct DimMetadata {
    bool sparse_csr = false;  // false: dense
    int32_t dense_size = 0;
    std::vector<int32_t> array_segments;
    std::vector<int32_t> array_indices;
    // Element width (8, 16 or 32 bits) each array was stored with, kept so
    // a written file matches the one read.
    int segments_width = 32;
    int indices_width = 32;
    bool operator==(const DimMetadata&) const = default;
  };
  std::vector<int32_t> traversal_order;
  std::vector<int32_t> block_map;
  std::vector<DimMetadata> dim_metadata;
  bool operator==(const SparsityParams&) const = default;
};

}  // namespace detlite

#endif  // DETLITE_CORE_QUANT_PARAMS_H_
