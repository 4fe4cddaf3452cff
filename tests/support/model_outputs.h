// Small readers of a model's outputs shared by the quantization e2e tests.
#ifndef DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_
#define DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"
#include "ir/graph.h"
#include "support/tflite_oracle.h"

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

// One photo through `runner` and through the real TFLite runtime on
// `model_path` (the file `runner` was made from), the same input bytes to
// both: detlite's outputs (runner->Output(i)) and the runtime's.
inline StatusOr<OracleResult> RunPhotoInBoth(Runner& runner, const std::string& model_path,
                                             const std::string& photo, PreprocessPreset preset) {
  PreprocessOptions pre;
  pre.preset = preset;
  ASSIGN_OR_RETURN(HostTensor input, LoadInput(photo, runner.InputInfo(0), pre));
  RETURN_IF_ERROR(runner.SetInput(0, input.bytes));
  RETURN_IF_ERROR(runner.Run());
  return RunInRealTflite(model_path, {input.bytes});
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_MODEL_OUTPUTS_H_
