// Full-integer quantization from the public options: calibration samples
// come from image files, preprocessed as `detlite run` does.
#include <mutex>

#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "quant/pipeline.h"

namespace detlite::api {
namespace {

DType InputType(IoType io_type) {
  switch (io_type) {
    case IoType::kInt8: return DType::kInt8;
    case IoType::kUint8: return DType::kUInt8;
    case IoType::kFloat32: break;
  }
  return DType::kFloat32;
}

}  // namespace

Status QuantizeInt8(ir::Model& model, const QuantizeOptions& options, bool int16,
                    QuantizeReport* report) {
  quant::FullIntegerConfig config;
  config.int16 = int16;
  config.method = options.calibration_method;
  if (!(options.percentile > 50 && options.percentile <= 100)) {
    return InvalidArgument("--percentile must be in (50, 100], not " + std::to_string(options.percentile));
  }
  config.input_type = InputType(options.io_type);
  if (options.strict_integer) {
    if (int16) {
      return InvalidArgument("--strict-integer needs --quantize int8 (16x8 models keep float32 input)");
    }
    if (!options.keep_float.empty()) {
      return InvalidArgument("--strict-integer leaves no op in float; drop --keep-float " +
                             options.keep_float[0]);
    }
    // Integer targets take integer input: int8 unless uint8 was asked for.
    if (config.input_type == DType::kFloat32) config.input_type = DType::kInt8;
    config.strict_integer = true;
  }
  if (options.calibration_size <= 0) return InvalidArgument("--calibration-size must be positive");
  config.percentile = options.percentile;
  config.ema_constant = options.moving_average_constant;
  config.per_tensor = options.per_tensor;
  config.equalize = options.equalize;
  config.bias_correction = options.bias_correction;
  config.weight_rounding = options.weight_rounding;
  config.adaround_iterations = options.adaround_iterations;
  config.keep_float = options.keep_float;
  config.threads = options.threads;
  config.progress = options.progress;
  ASSIGN_OR_RETURN(CalibrationSet files,
                   CalibrationSet::Open(options.calibration_data, options.calibration_size));
  const ir::Subgraph& sg = model.subgraphs.at(0);
  if (sg.inputs.size() != 1) {
    return Unimplemented("calibrating from images needs a model with one input, this one has " +
                         std::to_string(sg.inputs.size()));
  }
  const TensorInfo input = MakeTensorInfo(sg, sg.inputs[0]);
  std::mutex how_mu;
  std::string how_first;
  quant::SampleLoader load = [&](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    std::string how;
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                     files.Load(static_cast<size_t>(i), input, options.preprocess, &how));
    if (i == 0) {
      std::lock_guard<std::mutex> lock(how_mu);
      how_first = how;
    }
    return std::vector<std::vector<uint8_t>>{std::move(bytes)};
  };
  RETURN_IF_ERROR(quant::QuantizeFullInteger(model, static_cast<int>(files.size()), load, config, report));
  report->preprocessing = how_first;
  return Status::Ok();
}

}  // namespace detlite::api
