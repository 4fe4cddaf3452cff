// SavedModel (TF1: a MetaGraphDef with signatures and a variables bundle)
// and bare MetaGraphDef (.meta beside a checkpoint) import.
#ifndef DETLITE_IMPORTERS_TF_SAVED_MODEL_H_
#define DETLITE_IMPORTERS_TF_SAVED_MODEL_H_

#include <string>

#include "detlite/tf/saved_model.pb.h"
#include "importers/tf/tf_import.h"

namespace detlite::tf_import {

// `dir` holds saved_model.pb and variables/.
StatusOr<TfGraph> LoadSavedModelDir(const std::string& dir, const TfLoadOptions& options);

// A TF2 SavedModel's meta graph (one with an object graph): functions
// inlined, variables found through the object graph (saved_model_tf2.cc).
StatusOr<TfGraph> LoadSavedModelTf2(tf::MetaGraphDef* meta, const std::string& dir,
                                    const std::string& path, const TfLoadOptions& options);

// The meta graph (its graph is moved out of *meta) with its signature
// (options.signature_key, else "serving_default", else the only one;
// none: no signature). Null `variables`: the graph's own initializers.
StatusOr<TfGraph> LoadMetaGraph(tf::MetaGraphDef* meta, const std::string& file,
                                VariableResolver variables, const TfLoadOptions& options);

// Variables for a .meta file: the checkpoint bundle beside it
// ("x.ckpt.meta" -> "x.ckpt.index"), else null (the graph's initializers).
VariableResolver VariablesForMetaGraph(const std::string& meta_path);

// Values from a V1 checkpoint file, by variable name.
VariableResolver CheckpointV1Resolver(const std::string& path);

// Values from a tensor bundle, looked up by node name, then shared_name.
VariableResolver BundleResolver(const std::string& prefix);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_SAVED_MODEL_H_
