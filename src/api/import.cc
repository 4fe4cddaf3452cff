// ImportModel: TensorFlow formats through importers/tf, TF.js graph models
// through importers/tfjs (model.json -> GraphDef with filled Consts) and
// then the same GraphDef importer; then the TF cleanup pass pipeline, then
// checks that the result is a model detlite can run and write. This file is
// where the two importers meet: neither includes the other.
#include "detlite/import.h"

#include <sys/stat.h>

#include <chrono>

#include "api/import_ssd.h"
#include "importers/tf/tf_import.h"
#include "importers/tfjs/tfjs_reader.h"
#include "ir/verifier.h"
#include "passes/resize_input.h"
#include "passes/tf_pipeline.h"

namespace detlite {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Loads a TF.js graph model as a TensorFlow graph: the reader fills every
// Const, so there are no variables; the signature's outputs are the
// default outputs (the model gets no signature of its own).
StatusOr<tf_import::TfGraph> LoadTfjs(const std::string& path) {
  ASSIGN_OR_RETURN(tfjs_import::TfjsModel m, tfjs_import::ReadTfjsModel(path));
  tf_import::TfGraph g;
  g.file = tfjs_import::TfjsModelJsonPath(path);
  g.format = "tfjs_graph_model";
  auto graph = std::make_shared<tf::GraphDef>();
  graph->Swap(&m.graph);
  g.graph = std::move(graph);
  g.variables = tf_import::NoVariables(g.file, "TF.js graph models hold constants only");
  for (const std::string& t : m.signature_outputs) g.signature.outputs.emplace_back(t, t);
  g.log.push_back("TF.js graph model: " + std::to_string(m.num_weights) + " weights, " +
                  std::to_string(m.weight_bytes) + " bytes in shards" +
                  (m.converted_by.empty() ? "" : ", converted by " + m.converted_by));
  return g;
}

StatusOr<tf_import::TfGraph> LoadGraph(const std::string& path, const ImportOptions& options) {
  if (!tfjs_import::TfjsModelJsonPath(path).empty()) return LoadTfjs(path);
  tf_import::TfLoadOptions o;
  o.signature_key = options.signature_key;
  o.tag = options.tag.empty() ? "serve" : options.tag;
  return tf_import::LoadTensorFlow(path, o);
}

// TF.js outputs are named as asked for (the signature's names), not after
// the op behind an Identity.
void NameOutputsAsAsked(const std::vector<std::string>& asked, ir::Model* model) {
  ir::Subgraph& sg = model->subgraphs[0];
  for (size_t i = 0; i < sg.outputs.size() && i < asked.size(); ++i) {
    auto [node, index] = tf_import::ParseTensorName(asked[i]);
    sg.tensors[static_cast<size_t>(sg.outputs[i])].name =
        index > 0 ? node + ":" + std::to_string(index) : node;
  }
}

// --input-size on an import: the graph at its own size, then re-targeted;
// the SSD decoder's anchors (outside the model) move with the box heads.
Status ResizeImported(InputSize size, const std::string& path, ir::Model* model,
                      ImportReport::Ssd* ssd, std::vector<std::string>* log) {
  const ir::Model before = *model;
  passes::ResizeInputResult rr;
  RETURN_IF_ERROR(passes::ResizeInput(*model, size.height, size.width, &rr).WithContext(path));
  log->insert(log->end(), rr.log.begin(), rr.log.end());
  if (!rr.changed || !ssd->found) return Status::Ok();
  ssd->input_height = size.height;
  ssd->input_width = size.width;
  if (ssd->anchors.empty()) return Status::Ok();
  const size_t n = ssd->anchors.size() / 4;
  std::string scheme;
  auto moved = passes::RetargetAnchorValues(before, *model, model->subgraphs[0].outputs[0],
                                            ssd->anchors, &scheme);
  if (!moved.ok()) return moved.status().WithContext(path + ": anchors " + ssd->anchors_source);
  ssd->anchors = std::move(*moved);
  ssd->anchors_source += " moved to " + size.ToString() + " (" + std::to_string(n) + " -> " +
                         std::to_string(ssd->anchors.size() / 4) + ": " + scheme + ")";
  return Status::Ok();
}

}  // namespace

bool IsImportablePath(const std::string& path) {
  if (!tfjs_import::TfjsModelJsonPath(path).empty()) return true;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return ::stat((path + "/saved_model.pb").c_str(), &st) == 0;
  }
  return EndsWith(path, ".pb") || EndsWith(path, ".meta");
}

StatusOr<Model> ImportModel(const std::string& path, const ImportOptions& options,
                            ImportReport* report) {
  const auto start = std::chrono::steady_clock::now();
  // Load -> plan the cut -> import -> passes.
  ASSIGN_OR_RETURN(tf_import::TfGraph graph, LoadGraph(path, options));
  tf_import::GraphImportOptions cut;
  cut.input_shapes = options.input_shapes;
  cut.inputs = options.inputs;
  cut.outputs = options.outputs;
  ASSIGN_OR_RETURN(ImportReport::Ssd ssd,
                   api_internal::PlanSsdImport(*graph.graph, options, graph.file, &cut));
  ASSIGN_OR_RETURN(tf_import::TfImportResult r, tf_import::ImportLoaded(graph, cut));
  if (graph.format == "tfjs_graph_model" && !ssd.found) {
    std::vector<std::string> asked = cut.outputs;
    if (asked.empty()) {
      for (const auto& [key, tensor] : graph.signature.outputs) asked.push_back(tensor);
    }
    NameOutputsAsAsked(asked, &r.model);
  }
  RETURN_IF_ERROR(api_internal::FinishSsdImport(r.model, path, &ssd));
  passes::PassContext ctx;
  RETURN_IF_ERROR(passes::RunTfImportPipeline(r.model, ctx).WithContext(path));
  if (options.input_size.given()) {
    RETURN_IF_ERROR(ResizeImported(options.input_size, path, &r.model, &ssd, &ctx.log));
  }
  RETURN_IF_ERROR(ir::Verify(r.model).WithContext(path + ": imported model"));
  r.model.description = (r.format == "tfjs_graph_model" ? "detlite import of TensorFlow.js "
                                                        : "detlite import of TensorFlow ") + r.format;
  auto shared = std::make_shared<ir::Model>(std::move(r.model));
  if (report) {
    report->format = r.format;
    report->graph_nodes = r.stats.graph_nodes;
    report->imported_nodes = r.stats.imported_nodes;
    report->source_ops = r.stats.tf_ops;
    report->folded_ops = r.stats.folded_ops;
    report->log = r.stats.log;
    report->ssd = ssd;
    if (ssd.found) report->log.push_back(api_internal::SsdSummary(ssd));
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
