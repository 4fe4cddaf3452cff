// detlite::CompareTechniques: the float model quantized once per step of a
// cumulative ladder of post-training techniques, each step compared with the
// float model tensor by tensor and, given labelled data, scored.
#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "detlite/compare.h"
#include "ir/graph.h"

namespace detlite {
namespace {

struct Step {
  std::string label;
  Equalization equalize;
  BiasCorrection bias_correction;
  WeightRounding rounding;
};

std::vector<Step> Ladder(bool adaround) {
  std::vector<Step> steps = {
      {"plain int8", Equalization::kNone, BiasCorrection::kNone, WeightRounding::kNearest},
      {"+ equalization", Equalization::kSkipRelu6, BiasCorrection::kNone,
       WeightRounding::kNearest},
      {"+ bias correction", Equalization::kSkipRelu6, BiasCorrection::kEmpirical,
       WeightRounding::kNearest},
  };
  if (adaround) {
    steps.push_back({"+ AdaRound", Equalization::kSkipRelu6, BiasCorrection::kEmpirical,
                     WeightRounding::kAdaRound});
  }
  return steps;
}

std::string Flags(const Step& s, QuantizeMode mode) {
  std::string f = std::string("--quantize ") + NameOf(mode) + " --equalize " +
                  NameOf(s.equalize) + " --bias-correction " + NameOf(s.bias_correction);
  if (s.rounding != WeightRounding::kNearest) {
    f += std::string(" --weight-rounding ") + NameOf(s.rounding);
  }
  return f;
}

// The outputs, with TFLite_Detection_PostProcess's replaced by its inputs
// (its boxes, classes and count are not values SQNR means anything for).
std::vector<std::string> Heads(const ir::Subgraph& sg) {
  std::vector<std::string> heads;
  auto add = [&](int32_t t) {
    if (t < 0) return;
    const std::string& n = sg.tensors[static_cast<size_t>(t)].name;
    if (std::find(heads.begin(), heads.end(), n) == heads.end()) heads.push_back(n);
  };
  for (int32_t out : sg.outputs) {
    const ir::Operator* producer = nullptr;
    for (const ir::Operator& op : sg.ops) {
      if (std::find(op.outputs.begin(), op.outputs.end(), out) != op.outputs.end()) producer = &op;
    }
    if (producer != nullptr && producer->kind == ir::OpKind::kCustom &&
        producer->custom_code == "TFLite_Detection_PostProcess") {
      for (size_t i = 0; i < 2 && i < producer->inputs.size(); ++i) add(producer->inputs[i]);
    } else {
      add(out);
    }
  }
  return heads;
}

double LowestSqnr(const CompareReport& r, const std::vector<std::string>& heads) {
  double v = std::numeric_limits<double>::infinity();
  for (const auto& t : r.tensors) {
    if (std::find(heads.begin(), heads.end(), t.name) != heads.end()) v = std::min(v, t.sqnr_db);
  }
  return v;
}

Model Copy(const Model& m) { return Model(std::make_shared<ir::Model>(m.ir()), m.path()); }

Status Score(const Model& m, const TechniqueOptions& o, double* ap, double* ap50,
             double* apl) {
  EvalOptions eo = o.eval;
  eo.reference = nullptr;
  eo.report_samples = 0;
  eo.worst_images = 0;
  ASSIGN_OR_RETURN(EvalResult r, EvaluateModel(m, o.eval_data, eo));
  *ap = r.coco.stats[0];
  *ap50 = r.coco.stats[1];
  *apl = r.coco.stats[5];
  return Status::Ok();
}

}  // namespace

StatusOr<TechniqueReport> CompareTechniques(const Model& float_model,
                                            const TechniqueOptions& options) {
  const QuantizeMode mode = options.quantize.mode;
  if (mode != QuantizeMode::kInt8 && mode != QuantizeMode::kInt16x8) {
    return InvalidArgument(std::string("the technique ladder needs int8 or int16x8, not ") +
                           NameOf(mode) + ": equalization, bias correction and AdaRound "
                           "apply to full-integer quantization only");
  }
  if (options.quantize.strict_integer || !options.quantize.keep_float.empty()) {
    // compare matches tensors and needs float outputs; keep it simple and exact.
    return InvalidArgument("the technique ladder takes neither strict integer nor kept-float ops");
  }
  TechniqueReport report;
  report.heads = Heads(float_model.ir().subgraphs.at(0));
  if (!options.eval_data.empty()) {
    report.evaluated = true;
    if (options.progress) options.progress(-1, "float", false);
    RETURN_IF_ERROR(Score(float_model, options, &report.float_ap, &report.float_ap50,
                          &report.float_ap_large));
    if (options.progress) options.progress(-1, "float", true);
  }
  const std::vector<Step> ladder = Ladder(options.adaround);
  for (size_t i = 0; i < ladder.size(); ++i) {
    const Step& s = ladder[i];
    const int index = static_cast<int>(i);
    if (options.progress) options.progress(index, s.label, false);
    TechniqueStep step;
    step.label = s.label;
    step.flags = Flags(s, mode);
    QuantizeOptions q = options.quantize;
    q.equalize = s.equalize;
    q.bias_correction = s.bias_correction;
    q.weight_rounding = s.rounding;
    q.io_type = IoType::kFloat32;  // compare feeds both models the same floats
    Model m = Copy(float_model);
    const auto start = std::chrono::steady_clock::now();
    Status st = Quantize(m, q).status();
    if (!st.ok()) return Status(st.code(), s.label + ": " + st.message());
    step.convert_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSIGN_OR_RETURN(step.compare, CompareModels(float_model, m, options.compare));
    step.head_sqnr_db = LowestSqnr(step.compare, report.heads);
    if (report.evaluated) {
      step.evaluated = true;
      RETURN_IF_ERROR(Score(m, options, &step.ap, &step.ap50, &step.ap_large));
    }
    report.steps.push_back(std::move(step));
    if (options.progress) options.progress(index, s.label, true);
  }
  return report;
}

}  // namespace detlite
