// Full-integer quantization from calibration samples to a checked int8
// graph, in order: calibrate -> select ops (keep-float, concatenation trap)
// -> choose activation parameters -> rewrite -> check the spec. The public
// API feeds it images; tests feed it synthetic tensors.
#ifndef DETLITE_QUANT_PIPELINE_H_
#define DETLITE_QUANT_PIPELINE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detlite/quantize.h"
#include "ir/graph.h"
#include "quant/calibrate.h"
#include "quant/range_select.h"

namespace detlite::quant {

struct FullIntegerConfig {
  CalibrationMethod method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  float ema_constant = 0.01f;
  bool per_tensor = false;
  DType input_type = DType::kFloat32;
  std::vector<std::string> keep_float;
  // 16x8 mode: int16 activations (symmetric), int8 weights, int64 biases.
  bool int16 = false;
  // No float op but TFLite_Detection_PostProcess (detlite/quantize.h).
  bool strict_integer = false;
  Equalization equalize = Equalization::kNone;
  BiasCorrection bias_correction = BiasCorrection::kNone;
  WeightRounding weight_rounding = WeightRounding::kNearest;
  int adaround_iterations = 1000;
  int threads = 2;
  std::function<void(int, int)> progress;
  // Quantization-aware training's export (src/train/qat.h): observers from
  // an earlier calibration, used instead of calibrating again, and the
  // trained own range of each activation (ActivationPlanOptions).
  const std::map<int32_t, Observer>* observers = nullptr;
  const std::map<int32_t, Range>* own_ranges = nullptr;
};

// Quantizes `model` (float32 throughout; subgraph 0) in place and fills the
// report's ranges, actions, warnings and op counts.
Status QuantizeFullInteger(ir::Model& model, int num_samples, const SampleLoader& load,
                           const FullIntegerConfig& config, QuantizeReport* report);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_PIPELINE_H_
