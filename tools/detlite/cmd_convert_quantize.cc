// The quantize step of `detlite convert` (not built yet: never enabled).
#include "convert_steps.h"

namespace detlite::cli {
namespace {

class QuantizeStep : public ConvertStep {
 public:
  void AddFlags(CLI::App& cmd) override {}
  bool enabled() const override { return false; }
  Status Apply(Model& model) override { return Status::Ok(); }
};

}  // namespace

std::unique_ptr<ConvertStep> MakeQuantizeStep() { return std::make_unique<QuantizeStep>(); }

}  // namespace detlite::cli
