// Small readers of a model's outputs shared by the quantization e2e tests.
#ifndef DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_
#define DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "detlite/model.h"
#include "ir/graph.h"

namespace detlite::testing {

// Little-endian float32 bytes as floats.
inline std::vector<float> AsFloats(const std::vector<uint8_t>& b) {
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), v.size() * 4);
  return v;
}

// The int8 scale of output i (the input of the DEQUANTIZE that writes it),
// or 0 when the output is computed in float.
inline float OutputInt8Scale(const Model& m, int i) {
  const ir::Subgraph& sg = m.ir().subgraphs[0];
  const int32_t out = sg.outputs[static_cast<size_t>(i)];
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kDequantize && op.outputs[0] == out) {
      return sg.tensors[static_cast<size_t>(op.inputs[0])].quant.scale[0];
    }
  }
  return 0;
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_
