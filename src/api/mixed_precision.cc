// detlite::QuantizeWithAccuracyBound: quantize, evaluate, and keep the
// fewest top-ranked ops float that bring the accuracy drop within the bound
// (doubling, then bisection). Every try is a real quantization and a real
// evaluation.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "api/mixed_precision_internal.h"
#include "detlite/mixed_precision.h"
#include "ir/graph.h"

namespace detlite {
namespace {

Model DeepCopy(const Model& m) {
  return Model(std::make_shared<ir::Model>(m.ir()), m.path());
}

std::string Points(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

struct Tried {
  AccuracyBoundTry numbers;
  std::shared_ptr<Model> model;
  QuantizeReport report;
};

class Search {
 public:
  Search(const Model& float_model, const AccuracyBoundOptions& o, size_t stat, double float_value)
      : float_(float_model), o_(o), quantize_(o.quantize), stat_(stat),
        float_value_(float_value) {}

  const QuantizeOptions& quantize() const { return quantize_; }
  void set_calibration(CalibrationMethod m) { quantize_.calibration_method = m; }

  // Quantizes a copy with the top `n` ranked ops float and evaluates it.
  StatusOr<Tried> Try(int n, const std::vector<OpSensitivity>& ranking) {
    Tried t;
    t.model = std::make_shared<Model>(DeepCopy(float_));
    QuantizeOptions q = quantize_;
    for (int i = 0; i < n && i < static_cast<int>(ranking.size()); ++i) {
      q.keep_float.push_back("=" + ranking[static_cast<size_t>(i)].tensor);
    }
    ASSIGN_OR_RETURN(t.report, Quantize(*t.model, q));
    ASSIGN_OR_RETURN(EvalResult r, EvaluateModel(*t.model, o_.eval_data, o_.eval));
    t.numbers.calibration = q.calibration_method;
    t.numbers.float_ops = n;
    t.numbers.value = 100.0 * r.coco.stats[stat_];
    t.numbers.drop = float_value_ - t.numbers.value;
    t.numbers.invoke_ms = r.mean_invoke_ms;
    // A small epsilon so that a drop printed as 0.5 meets a bound of 0.5.
    t.numbers.meets = t.numbers.drop <= o_.max_drop + 1e-9;
    if (o_.log) {
      o_.log(std::string(n == 0 ? "all quantized" : std::to_string(n) + " ops float") +
             (q.calibration_method != o_.quantize.calibration_method
                  ? std::string(", calibration ") + NameOf(q.calibration_method)
                  : std::string()) +
             ": " +
             o_.metric + " " + Points(t.numbers.value) + " (drop " + Points(t.numbers.drop) +
             ", bound " + Points(o_.max_drop) + "), invoke " + Points(t.numbers.invoke_ms) +
             " ms" + (t.numbers.meets ? "  meets the bound" : ""));
    }
    return t;
  }

 private:
  const Model& float_;
  const AccuracyBoundOptions& o_;
  QuantizeOptions quantize_;  // o_.quantize with the calibration chosen
  size_t stat_;
  double float_value_;
};

Status CheckOptions(const AccuracyBoundOptions& o, size_t* stat) {
  if (o.quantize.mode != QuantizeMode::kInt8 && o.quantize.mode != QuantizeMode::kInt16x8) {
    return InvalidArgument("--max-accuracy-drop needs --quantize int8 or int16x8");
  }
  if (!(o.max_drop >= 0) || !std::isfinite(o.max_drop)) {
    return InvalidArgument("--max-accuracy-drop must be a number of points >= 0");
  }
  if (o.eval_data.empty()) {
    return InvalidArgument(
        "--max-accuracy-drop needs labelled photos to measure the drop on: --eval-data DATASET "
        "(COCO json, VOC directory or TFRecord)");
  }
  const auto& names = CocoStatNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (o.metric == names[i]) *stat = i;
  }
  if (*stat >= 6) {
    return InvalidArgument("--accuracy-metric '" + o.metric +
                           "' is not one of AP, AP50, AP75, APs, APm, APl");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<AccuracyBoundReport> QuantizeWithAccuracyBound(Model& model,
                                                        const AccuracyBoundOptions& o) {
  size_t stat = 99;
  RETURN_IF_ERROR(CheckOptions(o, &stat));
  AccuracyBoundReport report;
  report.metric = o.metric;
  report.max_drop = o.max_drop;
  ASSIGN_OR_RETURN(EvalResult base, EvaluateModel(model, o.eval_data, o.eval));
  if (base.coco.stats[stat] < 0) {
    return InvalidArgument(o.eval_data + ": no " + o.metric +
                           " can be measured on it (no ground truth of that kind)");
  }
  report.float_value = 100.0 * base.coco.stats[stat];
  report.float_invoke_ms = base.mean_invoke_ms;
  if (o.log) {
    o.log("float: " + o.metric + " " + Points(report.float_value) + ", invoke " +
          Points(base.mean_invoke_ms) + " ms");
  }
  Search search(model, o, stat, report.float_value);
  std::vector<OpSensitivity> none;
  ASSIGN_OR_RETURN(Tried best, search.Try(0, none));
  report.tries.push_back(best.numbers);
  // Other calibrations before float ops: the best all-int8 one stays.
  for (CalibrationMethod m : o.calibration_methods) {
    if (best.numbers.meets) break;
    if (m == o.quantize.calibration_method) continue;
    Search other = search;
    other.set_calibration(m);
    ASSIGN_OR_RETURN(Tried t, other.Try(0, none));
    report.tries.push_back(t.numbers);
    if (t.numbers.value > best.numbers.value) {
      best = std::move(t);
      search.set_calibration(m);
    }
  }
  if (!best.numbers.meets) {
    Model ranked = *best.model;
    if (o.quantize.io_type != IoType::kFloat32) {  // compare needs float input
      QuantizeOptions q = search.quantize();
      q.io_type = IoType::kFloat32;
      ranked = DeepCopy(model);
      RETURN_IF_ERROR(Quantize(ranked, q).status());
    }
    ASSIGN_OR_RETURN(report.ranking, api::RankOpsByOutputSqnr(model, ranked, search.quantize(),
                                                              o.ranking_samples));
    const int all = static_cast<int>(report.ranking.size());
    // Doubling until the bound holds, then bisection between the last
    // failing and the first passing count.
    int fail = 0, pass = -1;
    for (int n = 1; all > 0; n = std::min(all, n * 2)) {
      ASSIGN_OR_RETURN(Tried t, search.Try(n, report.ranking));
      report.tries.push_back(t.numbers);
      if (t.numbers.meets) {
        pass = n;
        best = std::move(t);
        break;
      }
      fail = n;
      if (n == all) break;
    }
    if (pass < 0) {
      return FailedPrecondition(
          "even with all " + std::to_string(all) + " quantized ops left float, " + o.metric +
          " drops by " + Points(report.tries.back().drop) + " points (bound " +
          Points(o.max_drop) + "); raise --max-accuracy-drop or use the float model");
    }
    while (pass - fail > 1) {
      const int mid = fail + (pass - fail) / 2;
      ASSIGN_OR_RETURN(Tried t, search.Try(mid, report.ranking));
      report.tries.push_back(t.numbers);
      if (t.numbers.meets) {
        pass = mid;
        best = std::move(t);
      } else {
        fail = mid;
      }
    }
    for (int i = 0; i < pass; ++i) {
      report.kept_float.push_back("=" + report.ranking[static_cast<size_t>(i)].tensor);
    }
  }
  report.chosen = best.numbers;
  report.quantize = best.report;
  model = *best.model;
  return report;
}

}  // namespace detlite
