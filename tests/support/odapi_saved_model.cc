#include <cstring>
#include <filesystem>
#include <set>

#include "core/file_io.h"
#include "detlite/tf/saved_model.pb.h"
#include "support/odapi_ssd_generator.h"
#include "support/tf_bundle_writer.h"

namespace detlite::testing {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A Const node's float32 value (tensor_content, as the generator writes it).
StatusOr<FloatVariable> ConstValue(const tf::NodeDef& n) {
  auto it = n.attr().find("value");
  if (it == n.attr().end() || !it->second.has_tensor()) {
    return InvalidArgument("node '" + n.name() + "' has no value");
  }
  const tf::TensorProto& t = it->second.tensor();
  FloatVariable v;
  int64_t count = 1;
  for (const auto& d : t.tensor_shape().dim())
    v.dims.push_back(d.size()), count *= d.size();
  if (t.dtype() != tf::DT_FLOAT ||
      t.tensor_content().size() != static_cast<size_t>(count) * 4) {
    return InvalidArgument("node '" + n.name() +
                           "' is not a float32 tensor_content constant");
  }
  v.values.resize(static_cast<size_t>(count));
  std::memcpy(v.values.data(), t.tensor_content().data(),
              t.tensor_content().size());
  return v;
}

tf::TensorInfo Info(const std::string& name) {
  tf::TensorInfo i;
  i.set_name(name);
  i.set_dtype(tf::DT_FLOAT);
  return i;
}

}  // namespace

Status WriteOdapiSavedModel(const tf::GraphDef& graph, const std::string& dir,
                            int* num_variables) {
  std::set<std::string> frozen;
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() == "Identity" && EndsWith(n.name(), "/read") &&
        n.input_size() == 1) {
      frozen.insert(n.input(0));
    }
  }
  tf::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  tf::MetaGraphDef* meta = sm.add_meta_graphs();
  meta->mutable_meta_info_def()->add_tags("serve");
  tf::GraphDef* g = meta->mutable_graph_def();
  *g = graph;
  std::map<std::string, FloatVariable> variables;
  for (tf::NodeDef& n : *g->mutable_node()) {
    if (n.op() != "Const" || !frozen.count(n.name())) continue;
    ASSIGN_OR_RETURN(FloatVariable v, ConstValue(n));
    n.set_op("VariableV2");
    n.clear_attr();
    auto& a = *n.mutable_attr();
    a["dtype"].set_type(tf::DT_FLOAT);
    for (int64_t d : v.dims) a["shape"].mutable_shape()->add_dim()->set_size(d);
    a["container"].set_s("");
    a["shared_name"].set_s("");
    variables[n.name()] = std::move(v);
  }
  tf::SignatureDef& sig = (*meta->mutable_signature_def())["serving_default"];
  sig.set_method_name("tensorflow/serving/predict");
  tf::TensorInfo input = Info("normalized_input_image_tensor:0");
  for (const tf::NodeDef& n : graph.node()) {
    auto shape = n.attr().find("shape");
    if (n.name() == "normalized_input_image_tensor" &&
        shape != n.attr().end()) {
      *input.mutable_tensor_shape() = shape->second.shape();
    }
  }
  (*sig.mutable_inputs())["normalized_input_image_tensor"] = input;
  const char* keys[4] = {"detection_boxes", "detection_classes",
                         "detection_scores", "num_detections"};
  for (int i = 0; i < 4; ++i) {
    (*sig.mutable_outputs())[keys[i]] =
        Info("TFLite_Detection_PostProcess:" + std::to_string(i));
  }
  std::error_code ec;
  std::filesystem::create_directories(dir + "/variables", ec);
  if (ec) return Internal(dir + ": cannot create: " + ec.message());
  RETURN_IF_ERROR(WriteTensorBundle(dir + "/variables/variables", variables));
  *num_variables = static_cast<int>(variables.size());
  std::string bytes;
  if (!sm.SerializeToString(&bytes))
    return Internal("cannot serialize the SavedModel");
  return WriteFileAtomic(dir + "/saved_model.pb", std::string_view(bytes));
}

}  // namespace detlite::testing
