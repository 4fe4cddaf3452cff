// detlite::Quantize: checks the model is a float model, unpacks compact
// float weights, then runs the chosen mode on a copy, so the caller's model
// is untouched on any error.
#include <memory>

#include "api/quantize_internal.h"
#include "detlite/quantize.h"
#include "ir/verifier.h"
#include "ir/compact.h"
#include "passes/store_sparse.h"
#include "passes/tf_fuse_activation.h"
#include "quant/dynamic_range.h"
#include "quant/float16.h"
#include "quant/fold_float_weights.h"

namespace detlite {

namespace api {

int64_t ConstantBytes(const ir::Model& model) {
  int64_t n = 0;
  for (const auto& sg : model.subgraphs) {
    for (const auto& t : sg.tensors) if (t.data) n += static_cast<int64_t>(t.data->size());
  }
  return n;
}

Status StoreSparse(ir::Model& model, std::vector<std::string>* actions) {
  passes::StoreSparse pass;
  passes::PassContext ctx;
  bool changed = false;
  RETURN_IF_ERROR(pass.Run(model, ctx, &changed));
  if (!changed) return Status::Ok();
  const auto& st = pass.stats();
  actions->push_back("stored " + std::to_string(st.tensors) + " weight tensors with zeros sparse (" +
                     std::to_string(st.dense_bytes) + " -> " + std::to_string(st.sparse_bytes) +
                     " bytes, read through DENSIFY)");
  return Status::Ok();
}

namespace {

// A model that already holds integer data was quantized before (or
// trained for it); quantizing again would stack errors.
Status CheckFloatModel(const ir::Model& model) {
  for (const auto& sg : model.subgraphs) {
    for (int32_t x : sg.inputs) {
      const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
      if (t.dtype != DType::kFloat32) {
        return FailedPrecondition("the model is already quantized (input '" + t.name + "' is " +
                                  std::string(DTypeName(t.dtype)) +
                                  "); quantize its float original instead");
      }
    }
    for (const auto& t : sg.tensors) {
      if (t.is_constant() && (t.dtype == DType::kInt8 || t.dtype == DType::kUInt8 ||
                              t.dtype == DType::kInt16 || t.dtype == DType::kInt4)) {
        return FailedPrecondition("the model is already quantized (constant '" + t.name + "' is " +
                                  std::string(DTypeName(t.dtype)) +
                                  "); quantize its float original instead");
      }
    }
  }
  return Status::Ok();
}

}  // namespace
}  // namespace api

StatusOr<QuantizeReport> Quantize(Model& model, const QuantizeOptions& options) {
  auto Context = [&model](Status s) {
    return model.path().empty() ? s : s.WithContext(model.path());
  };
  Status s = api::CheckFloatModel(model.ir());
  if (!s.ok()) return Context(s);
  if (options.strict_integer && options.mode != QuantizeMode::kInt8) {
    return InvalidArgument("--strict-integer needs --quantize int8, not " +
                           std::string(NameOf(options.mode)));
  }
  QuantizeReport report;
  report.mode = NameOf(options.mode);
  report.float_bytes = api::ConstantBytes(model.ir());
  auto work = std::make_shared<ir::Model>(model.ir());
  int folded = 0;
  s = quant::FoldFloatWeights(*work, &folded);
  if (!s.ok()) return Context(s);
  if (folded > 0) {
    report.actions.push_back("unpacked " + std::to_string(folded) +
                             " float16/sparse weight tensors (DEQUANTIZE/DENSIFY folded)");
  }
  switch (options.mode) {
    case QuantizeMode::kFloat16: {
      int converted = 0;
      s = quant::ConvertWeightsToFloat16(*work, &converted);
      if (!s.ok()) return Context(s);
      report.actions.push_back("stored " + std::to_string(converted) +
                               " float32 weight tensors as float16 behind DEQUANTIZE");
      work->optimizations.push_back(ir::Optimization::kPtqFloat16);
      break;
    }
    case QuantizeMode::kInt8:
    case QuantizeMode::kInt16x8: {
      const bool int16 = options.mode == QuantizeMode::kInt16x8;
      // A separate RELU after an ADD or a convolution (BlazeFace's residual
      // blocks) would be one more requantizing op with its own range; fused,
      // the producer clamps and its output range starts at 0, as the TFLite
      // converter writes it.
      passes::PassContext fuse_ctx;
      bool fused = false;
      s = passes::TfFuseActivation().Run(*work, fuse_ctx, &fused);
      if (!s.ok()) return Context(s);
      if (fused) {
        ir::CompactTensors(*work, 0);
        report.actions.push_back("fused " + std::to_string(fuse_ctx.log.size()) +
                                 " RELU/RELU6 ops into the op before them");
      }
      s = api::QuantizeInt8(*work, options, int16, &report);
      if (!s.ok()) return Context(s);
      work->optimizations.push_back(int16 ? ir::Optimization::kPtqInt16
                                              : ir::Optimization::kPtqFullInteger);
      break;
    }
    case QuantizeMode::kDynamic: {
      if (options.per_tensor) {
        return Context(InvalidArgument(
            "--per-tensor does not apply to --quantize dynamic: TFLite's hybrid convolutions "
            "quantize their weights per channel (fully connected weights are per tensor)"));
      }
      quant::DynamicRangeOptions dr;
      dr.keep_float = options.keep_float;
      quant::DynamicRangeStats stats;
      s = quant::QuantizeDynamicRange(*work, dr, &stats);
      if (!s.ok()) return Context(s);
      report.ops_quantized = stats.ops_quantized;
      report.ops_left_float = stats.ops_left_float;
      report.actions.push_back(
          "stored the weights of " + std::to_string(stats.ops_quantized) +
          " CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED ops as int8 (hybrid kernels quantize "
          "their float inputs at run time)");
      report.kept_float.insert(report.kept_float.end(), stats.kept_float.begin(),
                               stats.kept_float.end());
      if (stats.ops_quantized == 0) {
        report.warnings.push_back("no op was quantized: the model has no convolution or fully "
                                  "connected layer with float weights of 1024 values or more");
      }
      work->optimizations.push_back(ir::Optimization::kPtqDynamicRange);
      break;
    }
  }
  s = api::StoreSparse(*work, &report.actions);
  if (!s.ok()) return Context(s);
  s = ir::Verify(*work);
  if (!s.ok()) return Internal("the quantized graph is invalid: " + s.message());
  report.quantized_bytes = api::ConstantBytes(*work);
  // A new IR rather than an assignment into the old one: copies of a Model
  // share their IR, and the caller's other copies must keep the float model.
  model = Model(std::move(work), model.path());
  return report;
}

}  // namespace detlite
