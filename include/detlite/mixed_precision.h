// Accuracy-bounded mixed precision (what `detlite convert --quantize int8
// --max-accuracy-drop D --eval-data DATASET` does): quantize, measure the
// accuracy drop against the float model on labelled data, and if it is over
// the bound, leave the fewest ops in float that bring it within.
//
//   detlite::AccuracyBoundOptions opts;
//   opts.quantize = int8_options;  // calibration data, techniques, ...
//   opts.eval_data = "coco_train2017_288";
//   opts.max_drop = 0.5;           // AP points
//   ASSIGN_OR_RETURN(auto report, detlite::QuantizeWithAccuracyBound(model, opts));
//
// First, when the all-int8 model misses the bound, the other calibration
// methods in `calibration_methods` are tried (a model whose loss is
// clipping spread over every layer, as BlazeFace full range calibrated on
// COCO, is fixed by wider ranges, not by a few float ops); the best one is
// kept for the rest of the search.
//
// Which ops: for each quantized op, a copy of the float model has only that
// op's output rounded to its int8 grid, and the SQNR of the detector's raw
// outputs on a few calibration photos scores it; the lowest SQNR comes
// first. The search then keeps the top n float for n = 1, 2, 4, ...
// until the drop is within the bound, and bisects down to the smallest such
// n. Every try is a full quantization and evaluation, so the numbers printed
// are the model's real accuracy, not an estimate.
//
// Measure on data the final accuracy is not reported on (e.g. choose on
// coco_train2017_288, report on coco_val2017_158): choosing ops on the
// accuracy set flatters the result.
#ifndef DETLITE_MIXED_PRECISION_H_
#define DETLITE_MIXED_PRECISION_H_

#include <functional>
#include <string>
#include <vector>

#include "detlite/evaluate.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "detlite/status.h"

namespace detlite {

struct AccuracyBoundOptions {
  QuantizeOptions quantize;  // mode must be int8 or int16x8
  std::string eval_data;     // labelled dataset (COCO json, VOC, TFRecord)
  EvalOptions eval;          // preprocessing, labels, max_images
  // The largest allowed drop of `metric`, in points (percent): 0.5 means
  // float AP 28.5 allows 28.0.
  double max_drop = 1.0;
  // One of CocoStatNames(): "AP", "AP50", "APl", ...
  std::string metric = "AP";
  // Photos for the SQNR ranking (from quantize.calibration_data).
  int ranking_samples = 8;
  // Calibration methods tried, in order, after quantize.calibration_method
  // when the all-int8 model misses the bound (empty: that one only).
  std::vector<CalibrationMethod> calibration_methods;
  // Called with a line per step ("int8 with 4 ops float: AP 27.9").
  std::function<void(const std::string&)> log;
};

// One op ranked for keeping in float.
struct OpSensitivity {
  std::string op;      // "CONV_2D"
  std::string tensor;  // its output
  // SQNR of the detector's raw outputs (what its post-processing reads)
  // when only this op's output is rounded to its int8 grid; lower = the op
  // matters more.
  double output_sqnr_db = 0;
};

// One model tried.
struct AccuracyBoundTry {
  CalibrationMethod calibration = kDefaultCalibrationMethod;
  int float_ops = 0;    // top-ranked ops kept float
  double value = 0;     // metric, points
  double drop = 0;      // float value - value
  double invoke_ms = 0;  // mean detlite invoke time during the evaluation
  bool meets = false;
};

struct AccuracyBoundReport {
  std::string metric;
  double float_value = 0;  // points
  double float_invoke_ms = 0;
  double max_drop = 0;
  std::vector<OpSensitivity> ranking;  // most damaging first
  std::vector<AccuracyBoundTry> tries;  // in the order tried
  std::vector<std::string> kept_float;  // "=tensor" patterns of the result
  AccuracyBoundTry chosen;
  QuantizeReport quantize;  // of the chosen model
};

// Quantizes `model` in place within the bound. Errors (model unchanged):
// bad options, no labelled data, and a bound that even keeping every
// ranked op float cannot meet.
StatusOr<AccuracyBoundReport> QuantizeWithAccuracyBound(Model& model,
                                                        const AccuracyBoundOptions& options);

}  // namespace detlite

#endif  // DETLITE_MIXED_PRECISION_H_
