// The ranking behind accuracy-bounded mixed precision. For each op the int8
// model quantizes, a copy of the float model has only that op's output
// rounded to its int8 grid (QUANTIZE + DEQUANTIZE with the int8 model's scale
// and zero point) and runs on a few calibration photos; the score is the SQNR
// of the detector's raw outputs (the inputs of TFLite_Detection_PostProcess,
// else the model outputs) against the float model. A low SQNR means
// rounding that one tensor already hurts what the detector reports.
// (Measuring each op's own SQNR loss inside the int8 model ranks badly: on
// BlazeFace the output heads, whose logits span [-444, 2], lose little in dB
// yet decide the scores.)
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "api/mixed_precision_internal.h"
#include "api/quantize_calibration.h"
#include "api/quantized_name.h"
#include "ir/graph.h"
#include "ir/op_kind.h"

namespace detlite::api {
namespace {

constexpr double kCapDb = 120.0;

// Activation parameters of the quantized model by the float tensor name.
std::map<std::string, const ir::Tensor*> QuantizedActivations(const ir::Subgraph& sg) {
  std::map<std::string, const ir::Tensor*> out;
  for (const ir::Tensor& t : sg.tensors) {
    if (t.is_constant() || t.quant.scale.size() != 1) continue;
    if (t.dtype != DType::kInt8 && t.dtype != DType::kInt16) continue;
    out[FloatTensorName(t.name)] = &t;
  }
  return out;
}

// The detector's raw outputs: what its post-processing reads, else its outputs.
std::vector<int32_t> RawOutputs(const ir::Subgraph& sg) {
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess") {
      std::vector<int32_t> raw;
      for (int32_t x : op.inputs) {
        if (x >= 0 && !sg.tensors[static_cast<size_t>(x)].is_constant()) raw.push_back(x);
      }
      return raw;
    }
  }
  return sg.outputs;
}

using Outputs = std::vector<std::vector<float>>;  // per raw output

StatusOr<std::vector<Outputs>> RunAll(const Model& m, const std::vector<int32_t>& raw,
                                      const std::vector<std::vector<uint8_t>>& inputs) {
  RunnerOptions ro;
  ro.preserve_all_tensors = true;
  ASSIGN_OR_RETURN(Runner r, Runner::Create(m, ro));
  std::vector<Outputs> all;
  for (const auto& in : inputs) {
    RETURN_IF_ERROR(r.SetInput(0, in));
    RETURN_IF_ERROR(r.Run());
    Outputs o;
    for (int32_t x : raw) {
      ASSIGN_OR_RETURN(HostTensor t, r.Tensor(x));
      o.push_back(t.ToFloat());
    }
    all.push_back(std::move(o));
  }
  return all;
}

// A copy of `m` whose op `i` output passes through int8 with `q`'s params.
Model WithRoundedOutput(const Model& m, size_t i, const ir::Tensor& q) {
  auto copy = std::make_shared<ir::Model>(m.ir());
  ir::Subgraph& sg = copy->subgraphs[0];
  const int32_t y = sg.ops[i].outputs[0];
  ir::Tensor rounded = q;
  rounded.name = sg.tensors[static_cast<size_t>(y)].name + "/rounded_int8";
  rounded.shape = sg.tensors[static_cast<size_t>(y)].shape;
  ir::Tensor back = sg.tensors[static_cast<size_t>(y)];
  back.name += "/rounded";
  const int32_t yq = sg.AddTensor(std::move(rounded));
  const int32_t yd = sg.AddTensor(std::move(back));
  for (size_t j = i + 1; j < sg.ops.size(); ++j) {
    for (int32_t& x : sg.ops[j].inputs) x = x == y ? yd : x;
  }
  for (int32_t& x : sg.outputs) x = x == y ? yd : x;
  ir::Operator quantize, dequantize;
  quantize.kind = ir::OpKind::kQuantize;
  quantize.inputs = {y};
  quantize.outputs = {yq};
  dequantize.kind = ir::OpKind::kDequantize;
  dequantize.inputs = {yq};
  dequantize.outputs = {yd};
  sg.ops.insert(sg.ops.begin() + static_cast<std::ptrdiff_t>(i) + 1, {quantize, dequantize});
  return Model(copy);
}

double SqnrDb(const std::vector<Outputs>& ref, const std::vector<Outputs>& got) {
  double signal = 0, noise = 0;
  for (size_t s = 0; s < ref.size(); ++s) {
    for (size_t k = 0; k < ref[s].size(); ++k) {
      const auto& a = ref[s][k];
      const auto& b = got[s][k];
      double mean = 0;
      for (float v : a) mean += v;
      mean /= std::max<size_t>(1, a.size());
      double sig = 0, err = 0;
      for (size_t e = 0; e < a.size() && e < b.size(); ++e) {
        sig += (a[e] - mean) * (a[e] - mean);
        err += (double(a[e]) - b[e]) * (double(a[e]) - b[e]);
      }
      // Each raw output weighs the same, whatever its scale.
      signal += 1.0;
      noise += sig > 0 ? err / sig : 0.0;
    }
  }
  if (noise <= 0) return kCapDb;
  return std::min(kCapDb, 10.0 * std::log10(signal / noise));
}

}  // namespace

StatusOr<std::vector<OpSensitivity>> RankOpsByOutputSqnr(const Model& float_model,
                                                         const Model& quantized,
                                                         const QuantizeOptions& q,
                                                         int samples) {
  ASSIGN_OR_RETURN(CalibrationSet files, CalibrationSet::Open(q.calibration_data, samples));
  ASSIGN_OR_RETURN(Runner probe, Runner::Create(float_model));
  if (probe.num_inputs() != 1) return Unimplemented("the ranking supports models with one input");
  std::vector<std::vector<uint8_t>> inputs;
  for (size_t f = 0; f < files.size(); ++f) {
    ASSIGN_OR_RETURN(auto bytes, files.Load(f, probe.InputInfo(0), q.preprocess, nullptr));
    inputs.push_back(std::move(bytes));
  }
  const ir::Subgraph& sg = float_model.ir().subgraphs.at(0);
  const std::vector<int32_t> raw = RawOutputs(sg);
  ASSIGN_OR_RETURN(std::vector<Outputs> ref, RunAll(float_model, raw, inputs));
  const auto params = QuantizedActivations(quantized.ir().subgraphs.at(0));
  std::vector<OpSensitivity> ranking;
  std::set<int32_t> constants;  // outputs of ops that read only constants
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    if (op.outputs.empty() || op.outputs[0] < 0) continue;
    // Ops of constants only (a DEQUANTIZE of float16 weights) are folded
    // away before quantization: nothing to keep float.
    bool reads_activation = false;
    for (int32_t x : op.inputs) {
      if (x >= 0 && !sg.tensors[static_cast<size_t>(x)].is_constant() && !constants.count(x)) {
        reads_activation = true;
      }
    }
    if (!reads_activation) {
      for (int32_t y : op.outputs) constants.insert(y);
      continue;
    }
    const ir::Tensor& out = sg.tensors[static_cast<size_t>(op.outputs[0])];
    auto it = params.find(out.name);
    if (out.dtype != DType::kFloat32 || it == params.end()) continue;  // not quantized
    ASSIGN_OR_RETURN(std::vector<Outputs> got,
                     RunAll(WithRoundedOutput(float_model, i, *it->second), raw, inputs));
    OpSensitivity s;
    s.op = op.kind == ir::OpKind::kCustom ? op.custom_code : std::string(ir::OpKindName(op.kind));
    s.tensor = out.name;
    s.output_sqnr_db = SqnrDb(ref, got);
    ranking.push_back(s);
  }
  // Lowest detector-output SQNR first; ties in graph order.
  std::stable_sort(ranking.begin(), ranking.end(),
                   [](const OpSensitivity& a, const OpSensitivity& b) {
                     return a.output_sqnr_db < b.output_sqnr_db;
                   });
  return ranking;
}

}  // namespace detlite::api
