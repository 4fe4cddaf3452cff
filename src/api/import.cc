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
#include "passes/tf_pipeline.h"

namespace detlite {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

tf_import::GraphImportOptions GraphOptions(const ImportOptions& options) {
  tf_import::GraphImportOptions g;
  g.input_shapes = options.input_shapes;
  g.inputs = options.inputs;
  g.outputs = options.outputs;
  return g;
}

// A cut input (--inputs) given a static shape (--input-shape; the unnamed
// one when there is one cut input) whose node declares its element type is
// not imported at all: the preprocessing in front of a backbone is often a
// while loop detlite cannot map (TensorArray/TensorList ops), and nothing
// of it is needed.
void CutInputSpecs(const tf::GraphDef& graph, tf_import::GraphImportOptions* g) {
  for (const std::string& in : g->inputs) {
    const std::string name = tf_import::ParseTensorName(in).first;
    auto shape = g->input_shapes.find(name);
    if (shape == g->input_shapes.end() && g->inputs.size() == 1) shape = g->input_shapes.find("");
    if (shape == g->input_shapes.end()) continue;
    for (const tf::NodeDef& n : graph.node()) {
      if (n.name() != name) continue;
      for (const char* attr : {"T", "dtype", "element_dtype", "DstT", "out_type"}) {
        auto a = n.attr().find(attr);
        if (a == n.attr().end() || a->second.value_case() != tf::AttrValue::kType) continue;
        tf_import::GraphImportOptions::InputSpec spec;
        spec.tf_dtype = a->second.type();
        spec.dims.assign(shape->second.begin(), shape->second.end());
        spec.known_rank = true;
        g->input_specs[name] = spec;
        break;
      }
    }
  }
}

// TF.js graph model: the reader fills every Const, so no variable resolver
// is needed; the signature's outputs are the default outputs.
StatusOr<tf_import::TfImportResult> ImportTfjs(const std::string& path,
                                               const ImportOptions& options,
                                               ImportReport::Ssd* ssd) {
  ASSIGN_OR_RETURN(tfjs_import::TfjsModel m, tfjs_import::ReadTfjsModel(path));
  const std::string file = tfjs_import::TfjsModelJsonPath(path);
  tf_import::GraphImportOptions g = GraphOptions(options);
  if (g.outputs.empty()) g.outputs = m.signature_outputs;
  CutInputSpecs(m.graph, &g);
  g.prepare = api_internal::SsdPrepareHook(options, file, ssd);
  tf_import::VariableResolver no_variables = [&file](const tf::NodeDef& n) -> StatusOr<tf_import::ConstTensor> {
    return Unimplemented(file + ": node '" + n.name() + "' (" + n.op() +
                         ") is a variable; TF.js graph models hold constants only");
  };
  tf_import::TfImportResult r;
  r.format = "tfjs_graph_model";
  ASSIGN_OR_RETURN(r.model, tf_import::ImportGraphDef(m.graph, file, g, no_variables, &r.stats));
  // Outputs are named as asked for (the signature's names), not after the
  // op behind an Identity.
  ir::Subgraph& sg = r.model.subgraphs[0];
  for (size_t i = 0; !ssd->found && i < sg.outputs.size() && i < g.outputs.size(); ++i) {
    auto [node, index] = tf_import::ParseTensorName(g.outputs[i]);
    sg.tensors[static_cast<size_t>(sg.outputs[i])].name =
        index > 0 ? node + ":" + std::to_string(index) : node;
  }
  r.stats.log.insert(r.stats.log.begin(),
                     "TF.js graph model: " + std::to_string(m.num_weights) + " weights, " +
                         std::to_string(m.weight_bytes) + " bytes in shards" +
                         (m.converted_by.empty() ? "" : ", converted by " + m.converted_by));
  return r;
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
  tf_import::TfImportResult r;
  ImportReport::Ssd ssd;
  if (!tfjs_import::TfjsModelJsonPath(path).empty()) {
    ASSIGN_OR_RETURN(r, ImportTfjs(path, options, &ssd));
  } else {
    tf_import::TfImportOptions o;
    o.graph = GraphOptions(options);
    auto ssd_hook = api_internal::SsdPrepareHook(options, path, &ssd);
    o.graph.prepare = [ssd_hook](const tf::GraphDef& graph, tf_import::GraphImportOptions* g) {
      CutInputSpecs(graph, g);
      return ssd_hook(graph, g);
    };
    o.signature_key = options.signature_key;
    o.tag = options.tag.empty() ? "serve" : options.tag;
    ASSIGN_OR_RETURN(r, tf_import::ImportTensorFlow(path, o));
  }
  RETURN_IF_ERROR(api_internal::FinishSsdImport(r.model, path, &ssd));
  passes::PassContext ctx;
  RETURN_IF_ERROR(passes::RunTfImportPipeline(r.model, ctx).WithContext(path));
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
