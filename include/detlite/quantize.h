// Post-training quantization of a float model (what `detlite convert
// --quantize` does):
//
//   detlite::QuantizeOptions opts;
//   opts.mode = detlite::QuantizeMode::kInt8;
//   opts.calibration_data = "photos/";
//   ASSIGN_OR_RETURN(detlite::QuantizeReport report, detlite::Quantize(model, opts));
//   RETURN_IF_ERROR(model.Save("model_int8.tflite"));
//
// The result follows TFLite's quantization specification: int8 activations
// (asymmetric, per tensor), int8 weights (symmetric in [-127, 127], per
// output channel by default), int32 biases with scale input_scale *
// weight_scale; ops that must keep their input's quantization (RESHAPE,
// CONCATENATION, pools, PAD, ...) share one range; LOGISTIC outputs use the
// fixed scale 1/256, zero point -128.
#ifndef DETLITE_QUANTIZE_H_
#define DETLITE_QUANTIZE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/kept_float.h"
#include "detlite/model.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

struct QuantizeOptions {
  QuantizeMode mode = QuantizeMode::kInt8;
  // A folder of images (JPEG/PNG/BMP). Needed for kInt8 and kInt16x8.
  std::string calibration_data;
  int calibration_size = 100;  // images used, at most
  // How observed activations become ranges (detlite/settings.h).
  CalibrationMethod calibration_method = kDefaultCalibrationMethod;
  float percentile = 99.99f;           // for "percentile"
  float moving_average_constant = 0.01f;  // for "moving-average"
  // How images become model inputs; preset "auto" maps a float input to
  // [-1, 1] (the convention of the detectors detlite targets).
  PreprocessOptions preprocess;
  bool per_tensor = false;  // per-tensor instead of per-channel weights
  // int8/int16x8 only. Cross-layer equalization (with high-bias
  // absorption) of the float weights before calibration, and bias
  // correction after weight quantization (both on by default; why:
  // detlite/settings.h).
  Equalization equalize = kDefaultEqualization;
  BiasCorrection bias_correction = kDefaultBiasCorrection;
  // int8/int16x8 only. Weight rounding; AdaRound learns each layer's
  // rounding from its inputs on the calibration data, `adaround_iterations`
  // optimizer steps per layer.
  WeightRounding weight_rounding = WeightRounding::kNearest;
  int adaround_iterations = 1000;
  // Type of the model's inputs after quantization: float32 (a QUANTIZE op
  // is added in front), int8 or uint8. Outputs stay float32.
  IoType io_type = IoType::kFloat32;
  // Ops (by op name, e.g. "LOGISTIC"), tensor names (substring match) or
  // "=NAME" (the op writing exactly tensor NAME) to leave in float, with
  // QUANTIZE/DEQUANTIZE around them.
  std::vector<std::string> keep_float;
  // int8 only. For NPU / Edge-TPU-style targets that reject float ops: every
  // op but TFLite_Detection_PostProcess is int8 or the conversion fails
  // naming the ops that cannot be; concatenations whose inputs span very
  // different ranges share one scale (the precision cost is reported as a
  // warning) instead of staying float; the input is int8 (uint8 when
  // io_type is kUint8) and raw outputs stay int8 (no DEQUANTIZE);
  // TFLite_Detection_PostProcess reads uint8 box encodings and scores
  // (an exact int8 -> uint8 QUANTIZE each, the layout of Coral's models).
  bool strict_integer = false;
  int threads = 2;  // calibration threads, one interpreter each
  // Called after each calibration image (done, total); may be empty.
  std::function<void(int, int)> progress;
};

struct TensorRange {
  std::string name;
  float observed_min = 0;  // over the calibration data
  float observed_max = 0;
  float chosen_min = 0;  // after the method, constraints and nudging
  float chosen_max = 0;
  float scale = 0;
  int64_t zero_point = 0;
};

struct QuantizeReport {
  std::string mode;
  std::string preprocessing;  // what was done to the calibration images
  int calibration_images = 0;
  std::vector<TensorRange> ranges;    // activations, in tensor order
  std::vector<std::string> actions;   // one line per notable rewrite
  std::vector<KeptFloat> kept_float;  // ops left in float, and why
  std::vector<std::string> warnings;  // e.g. the concatenation trap
  int64_t float_bytes = 0;      // constant bytes before
  int64_t quantized_bytes = 0;  // and after
  int ops_quantized = 0;
  int ops_left_float = 0;
};

// Quantizes `model` in place. Refuses a model that is already quantized
// (integer inputs or quantized weights), bad calibration data (empty
// folder, unreadable image) and ops it cannot quantize, leaving `model`
// unchanged on any error.
StatusOr<QuantizeReport> Quantize(Model& model, const QuantizeOptions& options);

}  // namespace detlite

#endif  // DETLITE_QUANTIZE_H_
