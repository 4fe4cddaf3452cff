// The ordered list of passes run on every imported TensorFlow graph (after
// the importer has mapped ops to builtins and folded constants): batch-norm
// MULs into weights, then ADDs into biases, then activations, then dead code.
#ifndef DETLITE_PASSES_TF_PIPELINE_H_
#define DETLITE_PASSES_TF_PIPELINE_H_

#include "passes/pass.h"

namespace detlite::passes {

Status RunTfImportPipeline(ir::Model& model, PassContext& ctx);

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_PIPELINE_H_
