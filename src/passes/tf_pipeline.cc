#include "passes/tf_pipeline.h"

#include <memory>
#include <vector>

#include "ir/verifier.h"
#include "passes/dead_code_elimination.h"
#include "passes/tf_fold_batch_norm.h"
#include "passes/tf_fold_residual_bias.h"
#include "passes/tf_fuse_atrous.h"
#include "passes/tf_fuse_activation.h"
#include "passes/tf_fuse_bias.h"

namespace detlite::passes {

Status RunTfImportPipeline(ir::Model& model, PassContext& ctx) {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(std::make_unique<TfFuseAtrous>());
  passes.push_back(std::make_unique<TfFoldBatchNorm>());
  passes.push_back(std::make_unique<TfFuseBias>());
  passes.push_back(std::make_unique<TfFoldResidualBias>());
  passes.push_back(std::make_unique<TfFuseActivation>());
  passes.push_back(std::make_unique<DeadCodeElimination>());
  for (auto& p : passes) {
    bool changed = false;
    RETURN_IF_ERROR(p->Run(model, ctx, &changed).WithContext(std::string(p->name())));
    if (ctx.verify_between_passes) {
      RETURN_IF_ERROR(ir::Verify(model).WithContext("after " + std::string(p->name())));
    }
  }
  return Status::Ok();
}

}  // namespace detlite::passes
