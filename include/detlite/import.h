// Importing models from other frameworks into detlite (TensorFlow GraphDef,
// SavedModel, MetaGraphDef; TensorFlow.js graph models):
//
//   detlite::ImportOptions opt;
//   opt.input_shapes[""] = {1, 320, 320, 3};
//   detlite::ImportReport report;
//   ASSIGN_OR_RETURN(detlite::Model m, detlite::ImportModel("saved_model_dir", opt, &report));
//   RETURN_IF_ERROR(m.Save("model.tflite"));
//
// Model::Load also accepts these formats, with default options.
#ifndef DETLITE_IMPORT_H_
#define DETLITE_IMPORT_H_

#include <map>
#include <string>
#include <vector>

#include "detlite/input_size.h"
#include "detlite/model.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

struct ImportOptions {
  // Static shapes for inputs whose dimensions the graph leaves unknown, by
  // input name; the key "" applies when the model has one input.
  std::map<std::string, std::vector<int32_t>> input_shapes;
  // A new fixed image size: the graph is imported at its own size, then
  // re-targeted (SetInputSize), an Object Detection API SSD's anchors with it.
  InputSize input_size;
  // Graph tensors ("node" or "node:1") to use as inputs / outputs instead
  // of the signature's or the graph's own (placeholders / unread nodes).
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  // SavedModel signature to convert ("serving_default" when empty and it
  // exists, else the only one) and meta graph tag ("serve").
  std::string signature_key;
  std::string tag = "serve";
  // Recognize Object Detection API SSDs (when inputs/outputs are not given)
  // and cut them at the feature extractor's input and the raw box / class
  // outputs, leaving the preprocessor and the post-processor out.
  bool detect_ssd = true;
};

struct ImportReport {
  std::string format;  // "graphdef", "saved_model", "saved_model_tf2", "tfjs_graph_model", ...
  int graph_nodes = 0;
  int imported_nodes = 0;  // nodes the outputs depend on
  std::map<std::string, int> source_ops;  // TensorFlow op type -> count
  int folded_ops = 0;                     // ops computed during import
  std::map<std::string, int> ops;         // TFLite op -> count, after passes
  int64_t parameters = 0;
  double seconds = 0;
  std::vector<std::string> log;  // one line per notable decision
  // The Object Detection API SSD path, when taken: the model's input is the
  // normalized image ([-1, 1] for the zoo's feature extractors) and its
  // outputs the raw box encodings [1, N, 4] and class logits [1, N, C].
  struct Ssd {
    bool found = false;
    std::string input, box_encodings, class_predictions;
    int num_predictors = 0;
    std::vector<float> anchors;  // from the graph's decoder, (yc, xc, h, w) x N; may be empty
    std::string anchors_source;
    int input_height = 0, input_width = 0;  // of the cut input [1, H, W, 3]
    // The decoder's box coder scales (y, x, h, w); empty when not found.
    std::vector<float> box_scales;
    std::string box_scales_source;
    // What the graph turns class logits into scores with; kAuto when it
    // does not say.
    ScoreConverter score_converter = ScoreConverter::kAuto;
  } ssd;
};

// Whether `path` looks like a format ImportModel reads (a .pb file, a
// SavedModel directory, a .meta file, a TF.js model.json or any *.json, a
// directory holding model.json).
bool IsImportablePath(const std::string& path);

StatusOr<Model> ImportModel(const std::string& path, const ImportOptions& options = {},
                            ImportReport* report = nullptr);

}  // namespace detlite

#endif  // DETLITE_IMPORT_H_
