// detlite::CompareModels: both models run on the same inputs with every
// tensor kept; tensors are matched by name and their differences
// accumulated over the samples.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "api/quantized_name.h"
#include "api/quantize_calibration.h"
#include "detlite/compare.h"
#include "ir/graph.h"

namespace detlite {
namespace {

struct Accumulator {
  TensorComparison c;
  int32_t float_index = -1;
  int32_t quant_index = -1;
  double abs_sum = 0, sq_err = 0, sq_signal = 0;
  int64_t count = 0;
};

// quantized-model tensor index by the float name it stands for.
std::map<std::string, int32_t> QuantizedByName(const ir::Subgraph& sg) {
  std::map<std::string, int32_t> by_name;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const ir::Tensor& t = sg.tensors[i];
    const std::string name = api::FloatTensorName(t.name);
    // Prefer the quantized form: that is where quantization error shows.
    auto it = by_name.find(name);
    if (it == by_name.end() || IsQuantizedIntType(t.dtype)) by_name[name] = static_cast<int32_t>(i);
  }
  return by_name;
}

}  // namespace

StatusOr<CompareReport> CompareModels(const Model& float_model, const Model& quantized_model,
                                      const CompareOptions& options) {
  ASSIGN_OR_RETURN(api::CalibrationSet files,
                   api::CalibrationSet::Open(options.data, options.max_samples));
  RunnerOptions ro;
  ro.preserve_all_tensors = true;
  ASSIGN_OR_RETURN(Runner fr, Runner::Create(float_model, ro));
  ASSIGN_OR_RETURN(Runner qr, Runner::Create(quantized_model, ro));
  if (fr.num_inputs() != 1 || qr.num_inputs() != 1) {
    return Unimplemented("compare supports models with one input");
  }
  const ir::Subgraph& fsg = float_model.ir().subgraphs.at(0);
  const ir::Subgraph& qsg = quantized_model.ir().subgraphs.at(0);
  const std::map<std::string, int32_t> qnames = QuantizedByName(qsg);
  std::vector<std::string> producer(qsg.tensors.size());
  for (const ir::Operator& op : qsg.ops) {
    for (int32_t y : op.outputs) {
      if (y >= 0) producer[static_cast<size_t>(y)] = op.kind == ir::OpKind::kCustom
                                                          ? op.custom_code
                                                          : std::string(ir::OpKindName(op.kind));
    }
  }
  CompareReport report;
  std::vector<Accumulator> acc;
  for (size_t i = 0; i < fsg.tensors.size(); ++i) {
    const ir::Tensor& t = fsg.tensors[i];
    if (t.dtype != DType::kFloat32 || t.is_constant()) continue;
    auto it = qnames.find(t.name);
    if (it == qnames.end()) {
      report.unmatched.push_back(t.name);
      continue;
    }
    Accumulator a;
    a.float_index = static_cast<int32_t>(i);
    a.quant_index = it->second;
    const ir::Tensor& q = qsg.tensors[static_cast<size_t>(a.quant_index)];
    a.c.name = t.name;
    a.c.producer = producer[static_cast<size_t>(a.quant_index)];
    a.c.dtype = std::string(DTypeName(q.dtype));
    a.c.scale = q.quant.scale.size() == 1 ? q.quant.scale[0] : 0.0;
    a.c.is_output = std::find(fsg.outputs.begin(), fsg.outputs.end(), a.float_index) != fsg.outputs.end();
    a.c.float_min = std::numeric_limits<double>::infinity();
    a.c.float_max = -std::numeric_limits<double>::infinity();
    acc.push_back(a);
  }
  const TensorInfo input = fr.InputInfo(0);
  for (size_t f = 0; f < files.size(); ++f) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                     files.Load(f, input, options.preprocess, nullptr));
    RETURN_IF_ERROR(fr.SetInput(0, bytes));
    RETURN_IF_ERROR(fr.Run());
    if (qr.InputInfo(0).dtype != "float32") {
      return Unimplemented("compare needs the quantized model to take float32 input "
                           "(convert with --io-type float32)");
    }
    RETURN_IF_ERROR(qr.SetInput(0, bytes));
    RETURN_IF_ERROR(qr.Run());
    for (Accumulator& a : acc) {
      auto ft = fr.Tensor(a.float_index);
      auto qt = qr.Tensor(a.quant_index);
      if (!ft.ok() || !qt.ok()) continue;
      const std::vector<float> f = ft->ToFloat();
      const std::vector<float> q = qt->ToFloat();
      if (f.size() != q.size()) continue;
      for (size_t k = 0; k < f.size(); ++k) {
        const double e = static_cast<double>(q[k]) - f[k];
        a.abs_sum += std::fabs(e);
        a.sq_err += e * e;
        a.sq_signal += static_cast<double>(f[k]) * f[k];
        a.c.max_abs_error = std::max(a.c.max_abs_error, std::fabs(e));
        a.c.float_min = std::min<double>(a.c.float_min, f[k]);
        a.c.float_max = std::max<double>(a.c.float_max, f[k]);
      }
      a.count += static_cast<int64_t>(f.size());
      a.c.elements = static_cast<int64_t>(f.size());
    }
    ++report.samples;
  }
  for (Accumulator& a : acc) {
    if (a.count == 0) continue;
    a.c.mean_abs_error = a.abs_sum / static_cast<double>(a.count);
    a.c.rmse = std::sqrt(a.sq_err / static_cast<double>(a.count));
    a.c.sqnr_db = a.sq_err == 0 ? std::numeric_limits<double>::infinity()
                                : 10.0 * std::log10(std::max(a.sq_signal, 1e-30) / a.sq_err);
    a.c.rmse_in_steps = a.c.scale > 0 ? a.c.rmse / a.c.scale : 0;
    report.tensors.push_back(a.c);
  }
  return report;
}

}  // namespace detlite
