// The import step of `detlite convert`: reads the input model.
#include "convert_steps.h"

namespace detlite::cli {
namespace {

class TfliteImport : public ImportStep {
 public:
  void AddFlags(CLI::App& cmd) override {}
  StatusOr<Model> Load(const std::string& path) override { return Model::Load(path); }
};

}  // namespace

std::unique_ptr<ImportStep> MakeImportStep() { return std::make_unique<TfliteImport>(); }

}  // namespace detlite::cli
