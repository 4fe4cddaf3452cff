// The dequantize step of `detlite convert`: --dequantize rewrites a
// quantized model as float32 (detlite::Dequantize) right after import, so
// the later steps (post-processing, pruning, --quantize) see a float graph.
#include <cstdio>
#include <memory>

#include "convert_steps.h"
#include "detlite/dequantize.h"

namespace detlite::cli {
namespace {

class DequantizeStep : public ConvertStep {
 public:
  void AddFlags(CLI::App& cmd) override {
    cmd.add_flag("--dequantize", on_,
                 "rewrite a quantized model (int8/uint8/int16) as float32 first: weights\n"
                 "and biases become their real values, QUANTIZE/DEQUANTIZE go away. With\n"
                 "--quantize it re-quantizes a model whose float original you do not have\n"
                 "(e.g. --quantize int8 --strict-integer, or detlite's calibration)");
  }
  bool enabled() const override { return on_; }
  Status Apply(Model& model) override {
    ASSIGN_OR_RETURN(DequantizeReport r, Dequantize(model));
    std::fprintf(stderr,
                 "dequantize: %d constants and %d activations made float32, %d ops removed\n",
                 r.constants, r.activations, r.ops_removed);
    return Status::Ok();
  }

 private:
  bool on_ = false;
};

}  // namespace

std::unique_ptr<ConvertStep> MakeDequantizeStep() { return std::make_unique<DequantizeStep>(); }

}  // namespace detlite::cli
