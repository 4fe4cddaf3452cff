#include "quant/float16.h"

#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "ir/compact.h"
#include "core/fp16.h"

namespace detlite::quant {

Status ConvertWeightsToFloat16(ir::Model& model, int* converted) {
  *converted = 0;
  for (size_t si = 0; si < model.subgraphs.size(); ++si) {
    ir::Subgraph& sg = model.subgraphs[si];
    std::set<int32_t> custom_inputs;
    for (const ir::Operator& op : sg.ops) {
      if (op.kind == ir::OpKind::kCustom) custom_inputs.insert(op.inputs.begin(), op.inputs.end());
    }
    std::map<int32_t, int32_t> replaced;  // float32 constant -> DEQUANTIZE output
    std::vector<ir::Operator> dequantize_ops;
    for (ir::Operator& op : sg.ops) {
      if (op.kind == ir::OpKind::kCustom) continue;
      for (int32_t& x : op.inputs) {
        if (x < 0) continue;
        auto it = replaced.find(x);
        if (it != replaced.end()) {
          x = it->second;
          continue;
        }
        const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
        if (!t.is_constant() || t.dtype != DType::kFloat32 || t.sparsity || custom_inputs.count(x)) continue;
        const size_t n = t.data->size() / 4;
        auto half = std::make_shared<ir::Bytes>(n * 2);
        for (size_t i = 0; i < n; ++i) {
          float f;
          std::memcpy(&f, t.data->data() + 4 * i, 4);
          const uint16_t h = FloatToHalf(f);
          std::memcpy(half->data() + 2 * i, &h, 2);
        }
        ir::Tensor h = t;
        h.dtype = DType::kFloat16;
        h.data = std::move(half);
        ir::Tensor f = t;
        f.name = t.name + "_dequantize";
        f.name.swap(h.name);  // the float view keeps the original name
        f.data = nullptr;
        const int32_t hi = sg.AddTensor(std::move(h));
        const int32_t fi = sg.AddTensor(std::move(f));
        ir::Operator dq;
        dq.kind = ir::OpKind::kDequantize;
        dq.inputs = {hi};
        dq.outputs = {fi};
        dequantize_ops.push_back(std::move(dq));
        replaced[x] = fi;
        x = fi;
        ++*converted;
      }
    }
    sg.ops.insert(sg.ops.begin(), std::make_move_iterator(dequantize_ops.begin()),
                  std::make_move_iterator(dequantize_ops.end()));
    ir::CompactTensors(model, static_cast<int>(si));
  }
  return Status::Ok();
}

}  // namespace detlite::quant
