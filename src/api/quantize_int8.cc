// Full-integer quantization from the public options: calibration samples
// come from image files, preprocessed as `detlite run` does.
#include <mutex>

#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "quant/pipeline.h"

namespace detlite::api {
namespace {

StatusOr<DType> InputType(const std::string& io_type) {
  if (io_type == "float32") return DType::kFloat32;
  if (io_type == "int8") return DType::kInt8;
  if (io_type == "uint8") return DType::kUInt8;
  return InvalidArgument("--io-type must be float32, int8 or uint8, not '" + io_type + "'");
}

}  // namespace

Status QuantizeInt8(ir::Model& model, const QuantizeOptions& options, bool int16,
                    QuantizeReport* report) {
  quant::FullIntegerConfig config;
  config.int16 = int16;
  if (!quant::ParseCalibrationMethod(options.calibration_method, &config.method)) {
    return InvalidArgument("unknown calibration method '" + options.calibration_method +
                           "' (minmax, moving-average, percentile, mse, kl)");
  }
  if (!(options.percentile > 50 && options.percentile <= 100)) {
    return InvalidArgument("--percentile must be in (50, 100], not " + std::to_string(options.percentile));
  }
  ASSIGN_OR_RETURN(config.input_type, InputType(options.io_type));
  if (options.calibration_size <= 0) return InvalidArgument("--calibration-size must be positive");
  config.percentile = options.percentile;
  config.ema_constant = options.moving_average_constant;
  config.per_tensor = options.per_tensor;
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
