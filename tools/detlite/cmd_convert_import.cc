// The import step of `detlite convert`: reads the input model. A .tflite is
// read as is; TensorFlow formats (frozen GraphDef .pb, SavedModel directory,
// .meta) and TensorFlow.js graph models (model.json, or a directory holding
// one) are imported with the flags below.
#include <cstdio>
#include <sstream>

#include "convert_steps.h"
#include "detlite/import.h"

namespace detlite::cli {
namespace {

// "1,320,320,3" or "name:1,320,320,3".
Status ParseInputShape(const std::string& text, ImportOptions* o) {
  std::string name, dims = text;
  const size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    name = text.substr(0, colon);
    dims = text.substr(colon + 1);
  }
  std::vector<int32_t> shape;
  std::stringstream ss(dims);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      const long v = std::stol(item, &used);
      if (used != item.size() || v <= 0 || v > (1 << 20)) throw std::out_of_range(item);
      shape.push_back(static_cast<int32_t>(v));
    } catch (const std::exception&) {
      return InvalidArgument("--input-shape '" + text + "': '" + item + "' is not a positive size");
    }
  }
  if (shape.empty()) return InvalidArgument("--input-shape '" + text + "' has no dimensions");
  o->input_shapes[name] = shape;
  return Status::Ok();
}

class Import : public ImportStep {
 public:
  void AddFlags(CLI::App& cmd) override {
    cmd.add_option("--input-size", size_text_,
                   "new fixed input size HxW (e.g. 256x256): every shape inferred again, SSD\n"
                   "anchors moved to the new feature maps, weights unchanged; any input format");
    cmd.add_option("--input-shape", shapes_,
                   "TensorFlow/TF.js: static input shape, '1,320,320,3' or 'input:1,320,320,3'");
    cmd.add_option("--inputs", options_.inputs,
                   "TensorFlow/TF.js: graph tensors to make the inputs (default: placeholders)")
        ->delimiter(',');
    cmd.add_option("--outputs", options_.outputs,
                   "TensorFlow/TF.js: graph tensors to make the outputs (default: the signature's)")
        ->delimiter(',');
    cmd.add_option("--signature", options_.signature_key,
                   "TensorFlow SavedModel: signature key (default serving_default)");
    cmd.add_option("--tag", options_.tag, "TensorFlow SavedModel: meta graph tag (default serve)");
    cmd.add_flag("--no-ssd-cut", raw_,
                 "TensorFlow: import an Object Detection API SSD as it is, instead of cutting it\n"
                 "at the feature extractor's input and the raw box/class outputs (the default,\n"
                 "which then re-attaches TFLite_Detection_PostProcess)");
  }

  StatusOr<Model> Load(const std::string& path, ImportReport* out) override {
    if (!size_text_.empty()) {
      auto size = ParseInputSize(size_text_);
      if (!size.ok()) return InvalidArgument("--input-size: " + size.status().message());
      if (!shapes_.empty()) {
        return InvalidArgument(path + ": give --input-size or --input-shape, not both");
      }
      options_.input_size = *size;
    }
    if (!IsImportablePath(path)) {
      const char* flag = !shapes_.empty()                  ? "--input-shape"
                         : !options_.inputs.empty()        ? "--inputs"
                         : !options_.outputs.empty()       ? "--outputs"
                         : !options_.signature_key.empty() ? "--signature"
                                                           : nullptr;
      if (flag != nullptr) {
        return InvalidArgument(path + ": " + flag +
                               " applies to TensorFlow and TF.js models, not a .tflite");
      }
      ASSIGN_OR_RETURN(Model m, Model::Load(path));
      if (options_.input_size.given()) {
        ASSIGN_OR_RETURN(InputSizeReport r, SetInputSize(m, options_.input_size));
        for (const std::string& line : r.log) std::fprintf(stderr, "input size: %s\n", line.c_str());
      }
      return m;
    }
    for (const std::string& s : shapes_) RETURN_IF_ERROR(ParseInputShape(s, &options_));
    options_.detect_ssd = !raw_;
    ImportReport& report = *out;
    ASSIGN_OR_RETURN(Model m, ImportModel(path, options_, &report));
    std::string ops;
    int total = 0;
    for (const auto& [op, n] : report.ops) {
      ops += (ops.empty() ? "" : ", ") + op + " " + std::to_string(n);
      total += n;
    }
    std::fprintf(stderr,
                 "imported %s %s: %d of %d TensorFlow nodes used, %d ops folded, %d TFLite ops "
                 "(%s), %lld parameters, %.3f s\n",
                 report.format.c_str(), path.c_str(), report.imported_nodes, report.graph_nodes,
                 report.folded_ops, total, ops.c_str(), static_cast<long long>(report.parameters),
                 report.seconds);
    for (const std::string& line : report.log) {
      if (line.rfind("Object Detection API SSD", 0) == 0) std::fprintf(stderr, "%s\n", line.c_str());
      if (options_.input_size.given() && (line.rfind("input '", 0) == 0 ||
                                          line.find("TFLite_Detection_PostProcess") != std::string::npos)) {
        std::fprintf(stderr, "input size: %s\n", line.c_str());
      }
    }
    return m;
  }

 private:
  std::vector<std::string> shapes_;
  std::string size_text_;
  ImportOptions options_;
  bool raw_ = false;
};

}  // namespace

std::unique_ptr<ImportStep> MakeImportStep() { return std::make_unique<Import>(); }

}  // namespace detlite::cli
