// ImportModel: TensorFlow formats through importers/tf, then the TF cleanup
// pass pipeline, then checks that the result is a model detlite can run
// and write.
#include "detlite/import.h"

#include <sys/stat.h>

#include <chrono>

#include "api/import_ssd.h"
#include "importers/tf/tf_import.h"
#include "ir/verifier.h"
#include "passes/tf_pipeline.h"

namespace detlite {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool IsImportablePath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return ::stat((path + "/saved_model.pb").c_str(), &st) == 0;
  }
  return EndsWith(path, ".pb") || EndsWith(path, ".meta");
}

StatusOr<Model> ImportModel(const std::string& path, const ImportOptions& options,
                            ImportReport* report) {
  const auto start = std::chrono::steady_clock::now();
  tf_import::TfImportOptions o;
  o.graph.input_shapes = options.input_shapes;
  o.graph.inputs = options.inputs;
  o.graph.outputs = options.outputs;
  o.signature_key = options.signature_key;
  o.tag = options.tag.empty() ? "serve" : options.tag;
  ImportReport::Ssd ssd;
  o.graph.prepare = api_internal::SsdPrepareHook(options, path, &ssd);
  ASSIGN_OR_RETURN(tf_import::TfImportResult r, tf_import::ImportTensorFlow(path, o));
  RETURN_IF_ERROR(api_internal::FinishSsdImport(r.model, path, &ssd));
  passes::PassContext ctx;
  RETURN_IF_ERROR(passes::RunTfImportPipeline(r.model, ctx).WithContext(path));
  RETURN_IF_ERROR(ir::Verify(r.model).WithContext(path + ": imported model"));
  r.model.description = "detlite import of TensorFlow " + r.format;
  auto shared = std::make_shared<ir::Model>(std::move(r.model));
  if (report) {
    report->format = r.format;
    report->graph_nodes = r.stats.graph_nodes;
    report->imported_nodes = r.stats.imported_nodes;
    report->source_ops = r.stats.tf_ops;
    report->folded_ops = r.stats.folded_ops;
    report->log = r.stats.log;
    report->ssd = ssd;
    if (ssd.found) {
      report->log.push_back("Object Detection API SSD: input '" + ssd.input + "' (normalized image), "
                            "box encodings '" + ssd.box_encodings + "', class predictions '" +
                            ssd.class_predictions + "'; preprocessor and post-processor left out" +
                            (ssd.anchors.empty() ? std::string()
                                                 : "; " + std::to_string(ssd.anchors.size() / 4) +
                                                       " anchors from " + ssd.anchors_source));
    }
    report->log.insert(report->log.end(), ctx.log.begin(), ctx.log.end());
    report->ops.clear();
    report->parameters = 0;
    for (const ir::Operator& op : shared->subgraphs[0].ops) ++report->ops[std::string(ir::OpKindName(op.kind))];
    for (const ir::Tensor& t : shared->subgraphs[0].tensors) {
      if (t.is_constant()) report->parameters += t.shape.NumElements();
    }
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return Model(shared, path);
}

}  // namespace detlite
