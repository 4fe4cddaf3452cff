// Named settings: every choice a user makes by name (on the command line,
// in a script) is an enum here with one table of names, from which parsing,
// printing, the CLI's lists of choices and error messages are all built.
// A vocabulary header: no dependencies, usable by every layer.
//
//   detlite::CalibrationMethod m;
//   if (!detlite::ParseSetting("percentile", &m)) ...   // m == kPercentile
//   detlite::NameOf(m);                                  // "percentile"
//   detlite::SettingChoices<detlite::CalibrationMethod>();  // "minmax, ..."
#ifndef DETLITE_SETTINGS_H_
#define DETLITE_SETTINGS_H_

#include <span>
#include <string>
#include <string_view>

namespace detlite {

enum class QuantizeMode {
  kFloat16,  // float16 weights, DEQUANTIZE in front of their users
  kDynamic,  // int8 weights of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED,
             // float activations (hybrid kernels quantize inputs at run time)
  kInt8,     // full integer: int8 weights and activations
  kInt16x8,  // int16 activations (symmetric), int8 weights, int64 biases
};

// How calibration turns observed activations into a range.
enum class CalibrationMethod {
  kMinMax,         // the observed extremes
  kMovingAverage,  // extremes averaged over images (as TF's QAT observers)
  kPercentile,     // a percentile of |x| (QuantizeOptions::percentile)
  kMse,            // the clipping with the least squared quantization error
  kKl,             // the clipping with the least KL divergence (TensorRT's)
};
// The one default everywhere: on the detectors measured in docs/RESULTS.md
// mse keeps the most of the float model's detections.
inline constexpr CalibrationMethod kDefaultCalibrationMethod = CalibrationMethod::kMse;

// Cross-layer equalization before int8/int16x8 quantization
// (docs/QUANTIZATION.md): which layer pairs it may rescale.
enum class Equalization {
  kNone,
  kSkipRelu6,    // pairs joined by no activation or ReLU (function unchanged)
  kRelu6ToRelu,  // also ReLU6 pairs, their ReLU6 made a ReLU (AIMET's choice)
};

// Bias correction after int8/int16x8 weight quantization.
enum class BiasCorrection {
  kNone,
  kEmpirical,  // (W - W_q) E[x] per output channel, E[x] from calibration
};

// The defaults everywhere (API, CLI, sweep plans). Of the combinations in
// docs/PTQ_TECHNIQUES.md, `skip-relu6` equalization plus empirical bias
// correction lost nothing on any model there and gained the most on
// BlazeFace (large-face AP 19.9 -> 22.8). `--equalize none
// --bias-correction none` turns them off.
inline constexpr Equalization kDefaultEqualization = Equalization::kSkipRelu6;
inline constexpr BiasCorrection kDefaultBiasCorrection = BiasCorrection::kEmpirical;

// How int8 weights are rounded (int8/int16x8).
enum class WeightRounding {
  kNearest,   // to the nearest integer
  kAdaRound,  // up or down, learned per weight on calibration data (AdaRound)
};

// Element type of a quantized model's inputs.
enum class IoType { kFloat32, kInt8, kUint8 };

// The unit magnitude pruning zeroes (--block): single weights, or blocks of
// 1 output x 4 input channels / 4 output x 1 input channel, ranked by the
// block's L2 norm.
enum class PruneBlock { k1x1, k1x4, k4x1 };

// A fixed sparsity pattern per group of weights (--pattern): 2:4 keeps the 2
// largest of every 4 consecutive weights along the input dimension.
enum class PrunePattern { kNone, k2of4 };

// How image pixels become input values.
enum class PreprocessPreset {
  kAuto,      // uint8 input: raw pixels; float/int8 input: [-1, 1]
  kRaw,       // 0..255
  kUnit,      // [0, 1]
  kSigned,    // [-1, 1]
  kImagenet,  // ImageNet mean and std per channel
};

enum class ResizeMethod {
  kAntialias,   // PIL-style bilinear, averaging when shrinking (default)
  kTfBilinear,  // plain half-pixel bilinear, as tf.image.resize
};

// What turns class logits into scores in TFLite_Detection_PostProcess's input.
enum class ScoreConverter { kAuto, kIdentity, kSigmoid, kSoftmax };

// Named anchor generators for `--add-postprocess`.
enum class AnchorPreset {
  kFromModel,       // from the pipeline.config or the graph
  kSsd,             // Object Detection API ssd_anchor_generator
  kMultiscale,      // Object Detection API multiscale_anchor_generator
  kBlazefaceShort,  // MediaPipe face detection, short range
  kBlazefaceFull,   // MediaPipe face detection, full range
  kBlazepalm,       // MediaPipe palm detection
};

template <typename E>
struct SettingName {
  E value;
  const char* name;
};

// Specialized below for each setting: `names` lists every value once, in
// the order help text lists them.
template <typename E>
struct SettingTable;

#define DETLITE_SETTING_TABLE(E, ...)                              \
  template <>                                                      \
  struct SettingTable<E> {                                         \
    static constexpr SettingName<E> names[] = {__VA_ARGS__};       \
  }

DETLITE_SETTING_TABLE(QuantizeMode, {QuantizeMode::kFloat16, "float16"},
                      {QuantizeMode::kDynamic, "dynamic"}, {QuantizeMode::kInt8, "int8"},
                      {QuantizeMode::kInt16x8, "int16x8"});
DETLITE_SETTING_TABLE(CalibrationMethod, {CalibrationMethod::kMse, "mse"},
                      {CalibrationMethod::kMinMax, "minmax"},
                      {CalibrationMethod::kMovingAverage, "moving-average"},
                      {CalibrationMethod::kPercentile, "percentile"},
                      {CalibrationMethod::kKl, "kl"});
DETLITE_SETTING_TABLE(Equalization, {Equalization::kNone, "none"},
                      {Equalization::kSkipRelu6, "skip-relu6"},
                      {Equalization::kRelu6ToRelu, "relu6-to-relu"});
DETLITE_SETTING_TABLE(BiasCorrection, {BiasCorrection::kNone, "none"},
                      {BiasCorrection::kEmpirical, "empirical"});
DETLITE_SETTING_TABLE(WeightRounding, {WeightRounding::kNearest, "nearest"},
                      {WeightRounding::kAdaRound, "adaround"});
DETLITE_SETTING_TABLE(IoType, {IoType::kFloat32, "float32"}, {IoType::kInt8, "int8"},
                      {IoType::kUint8, "uint8"});
DETLITE_SETTING_TABLE(PruneBlock, {PruneBlock::k1x1, "1x1"}, {PruneBlock::k1x4, "1x4"},
                      {PruneBlock::k4x1, "4x1"});
DETLITE_SETTING_TABLE(PrunePattern, {PrunePattern::kNone, "none"}, {PrunePattern::k2of4, "2:4"});
DETLITE_SETTING_TABLE(PreprocessPreset, {PreprocessPreset::kAuto, "auto"},
                      {PreprocessPreset::kRaw, "raw"}, {PreprocessPreset::kUnit, "unit"},
                      {PreprocessPreset::kSigned, "signed"},
                      {PreprocessPreset::kImagenet, "imagenet"});
DETLITE_SETTING_TABLE(ResizeMethod, {ResizeMethod::kAntialias, "antialias"},
                      {ResizeMethod::kTfBilinear, "bilinear"});
DETLITE_SETTING_TABLE(ScoreConverter, {ScoreConverter::kAuto, "auto"},
                      {ScoreConverter::kSigmoid, "sigmoid"},
                      {ScoreConverter::kSoftmax, "softmax"},
                      {ScoreConverter::kIdentity, "identity"});
DETLITE_SETTING_TABLE(AnchorPreset, {AnchorPreset::kFromModel, ""}, {AnchorPreset::kSsd, "ssd"},
                      {AnchorPreset::kMultiscale, "multiscale"},
                      {AnchorPreset::kBlazefaceShort, "blazeface-short"},
                      {AnchorPreset::kBlazefaceFull, "blazeface-full"},
                      {AnchorPreset::kBlazepalm, "blazepalm"});
#undef DETLITE_SETTING_TABLE

template <typename E>
constexpr std::span<const SettingName<E>> SettingNames() {
  return SettingTable<E>::names;
}

template <typename E>
const char* NameOf(E value) {
  for (const SettingName<E>& n : SettingNames<E>()) {
    if (n.value == value) return n.name;
  }
  return "?";
}

template <typename E>
bool ParseSetting(std::string_view name, E* value) {
  for (const SettingName<E>& n : SettingNames<E>()) {
    if (name == n.name) {
      *value = n.value;
      return true;
    }
  }
  return false;
}

// "a, b, c": the names for help text and errors (empty names left out).
template <typename E>
std::string SettingChoices() {
  std::string out;
  for (const SettingName<E>& n : SettingNames<E>()) {
    if (*n.name == '\0') continue;
    out += (out.empty() ? "" : ", ") + std::string(n.name);
  }
  return out;
}

}  // namespace detlite

#endif  // DETLITE_SETTINGS_H_
