#include "importers/odapi/ssd_graph.h"

#include <array>
#include <cstring>
#include <deque>
#include <map>
#include <set>

#include "importers/odapi/graph_walk.h"

namespace detlite::odapi {
namespace {

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The predictor a Reshape feeding a concat belongs to, from its own name and
// its producer's (BoxPredictor_0/Reshape <- .../BoxEncodingPredictor/BiasAdd).
enum class Head { kNone, kBox, kClass };

Head HeadOf(const tf::NodeDef& reshape, const NodeMap& nodes) {
  std::string hints = reshape.name();
  if (reshape.input_size() > 0) hints += " " + NodeOf(reshape.input(0));
  if (Contains(hints, "BoxEncodingPredictor") || Contains(hints, "BoxHead")) return Head::kBox;
  if (Contains(hints, "ClassPredictor") || Contains(hints, "ClassHead")) return Head::kClass;
  (void)nodes;
  return Head::kNone;
}

// A concat of predictor reshapes: all of its data inputs (the last is the
// axis) are Reshapes of one head kind.
Head ConcatHead(const tf::NodeDef& n, const NodeMap& nodes, int* count) {
  if (n.op() != "ConcatV2" || n.input_size() < 2) return Head::kNone;
  Head kind = Head::kNone;
  *count = 0;
  for (int i = 0; i + 1 < n.input_size(); ++i) {
    if (n.input(i).empty() || n.input(i)[0] == '^') continue;
    auto it = nodes.find(NodeOf(n.input(i)));
    if (it == nodes.end() || it->second->op() != "Reshape") return Head::kNone;
    const Head h = HeadOf(*it->second, nodes);
    if (h == Head::kNone || (kind != Head::kNone && h != kind)) return Head::kNone;
    kind = h;
    ++*count;
  }
  return kind;
}

// Where the preprocessor hands over: its scope, graph inputs, and the
// control-flow / TensorArray / TensorList ops of its per-image map.
bool IsBoundary(const tf::NodeDef& n) {
  static const std::set<std::string> kOps = {
      "Placeholder",        "PlaceholderWithDefault", "TensorListStack", "TensorArrayGatherV3",
      "TensorArrayGatherV2", "Exit",                  "Merge",           "Switch",
      "Enter",              "IteratorGetNext",        "NextIteration"};
  const std::string& name = n.name();
  return kOps.count(n.op()) > 0 || name.rfind("Preprocessor/", 0) == 0 ||
         Contains(name, "/Preprocessor/");
}

}  // namespace

bool LooksLikeSsd(const tf::GraphDef& graph) {
  NodeMap nodes;
  for (const tf::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  bool box = false, cls = false;
  for (const tf::NodeDef& n : graph.node()) {
    int count = 0;
    const Head h = ConcatHead(n, nodes, &count);
    box |= h == Head::kBox;
    cls |= h == Head::kClass;
  }
  return box && cls;
}

StatusOr<SsdGraph> FindSsdGraph(const tf::GraphDef& graph, const std::string& file) {
  NodeMap nodes;
  for (const tf::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  std::vector<std::string> boxes, classes;
  SsdGraph out;
  for (const tf::NodeDef& n : graph.node()) {
    int count = 0;
    const Head h = ConcatHead(n, nodes, &count);
    if (h == Head::kBox) boxes.push_back(n.name());
    if (h == Head::kClass) classes.push_back(n.name());
    if (h != Head::kNone) out.num_predictors = count;
  }
  auto one = [&](const std::vector<std::string>& v, const char* what) -> StatusOr<std::string> {
    if (v.size() == 1) return v[0];
    if (v.empty()) {
      return NotFound(file + ": no Object Detection API " + what +
                      " concat (ConcatV2 of the box predictors' Reshapes) in the graph; "
                      "give the cut points with --outputs");
    }
    std::string list;
    for (const auto& s : v) list += (list.empty() ? "" : ", ") + s;
    return InvalidArgument(file + ": " + std::to_string(v.size()) + " candidate " + what +
                           " concats (" + list + "); pick one with --outputs");
  };
  ASSIGN_OR_RETURN(out.box_encodings, one(boxes, "box encoding"));
  ASSIGN_OR_RETURN(out.class_predictions, one(classes, "class prediction"));

  // Walk back from the raw outputs to where the preprocessor ends.
  std::set<std::string> seen;
  std::deque<std::string> queue = {out.box_encodings, out.class_predictions};
  std::map<std::string, std::string> boundary;  // tensor -> consumer
  while (!queue.empty()) {
    const std::string name = queue.front();
    queue.pop_front();
    if (!seen.insert(name).second) continue;
    auto it = nodes.find(name);
    if (it == nodes.end()) continue;
    for (const std::string& in : it->second->input()) {
      if (in.empty() || in[0] == '^') continue;
      auto p = nodes.find(NodeOf(in));
      if (p == nodes.end()) continue;
      if (IsBoundary(*p->second)) {
        boundary.emplace(in, name);
      } else {
        queue.push_back(p->first);
      }
    }
  }
  // Integer side inputs (shapes, true image sizes) are not the image.
  std::vector<std::string> images;
  for (const auto& [tensor, consumer] : boundary) {
    const tf::NodeDef& producer = *nodes.at(NodeOf(tensor));
    auto t = producer.attr().find("dtype");
    if (t == producer.attr().end()) t = producer.attr().find("element_dtype");
    if (t == producer.attr().end()) t = producer.attr().find("T");
    const int dtype = t == producer.attr().end() ? 0 : t->second.type();
    if (dtype == 3 || dtype == 9 || dtype == 10) continue;  // int32, int64, bool
    images.push_back(tensor);
  }
  if (images.size() > 1) {
    std::vector<std::string> fe;
    for (const auto& t : images) {
      if (Contains(boundary.at(t), "FeatureExtractor")) fe.push_back(t);
    }
    if (!fe.empty()) images = fe;
  }
  if (images.size() != 1) {
    std::string list;
    for (const auto& s : images) list += (list.empty() ? "" : ", ") + s;
    return InvalidArgument(file + ": cannot tell where the SSD's preprocessor ends (" +
                           (images.empty() ? std::string("no candidate") : list) +
                           "); give the feature extractor's input with --inputs");
  }
  out.input = images[0];
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() == "Placeholder" && out.image_placeholder.empty()) out.image_placeholder = n.name();
  }
  out.notes.push_back("Object Detection API SSD: feature extractor input '" + out.input +
                      "', box encodings '" + out.box_encodings + "', class predictions '" +
                      out.class_predictions + "' (" + std::to_string(out.num_predictors) +
                      " feature maps); preprocessor and post-processor left out");
  return out;
}

namespace {

// Float values of a 1-D Const of `n` elements (any when n <= 0), or empty.
std::vector<float> FloatConst1D(const tf::NodeDef& node, int64_t n) {
  std::vector<float> v;
  std::vector<int64_t> dims;
  if (!FloatConst(node, &v, &dims) || dims.size() != 1 || dims[0] <= 0 ||
      (n > 0 && dims[0] != n)) {
    return {};
  }
  return v;
}

}  // namespace

StatusOr<std::vector<float>> FindDecodeAnchors(const tf::GraphDef& graph, int64_t num_anchors,
                                               const std::string& file, std::string* source) {
  static const char* kParts[4] = {"add", "add_1", "sub_1", "sub"};  // yc, xc, h, w
  const std::string kScope = "get_center_coordinates_and_sizes/";
  std::map<std::string, std::array<std::vector<float>, 4>> found;  // scope -> parts
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() != "Const") continue;
    const size_t at = n.name().rfind(kScope);
    if (at == std::string::npos) continue;
    const std::string scope = n.name().substr(0, at + kScope.size());
    const std::string part = n.name().substr(at + kScope.size());
    for (int k = 0; k < 4; ++k) {
      if (part == kParts[k]) found[scope][static_cast<size_t>(k)] = FloatConst1D(n, num_anchors);
    }
  }
  std::vector<std::string> complete;
  for (const auto& [scope, parts] : found) {
    bool all = true;
    for (const auto& p : parts) all &= !p.empty() && p.size() == parts[0].size();
    // The decoder of the raw boxes, not one run on NMS output.
    if (all && scope.find("Decode") != std::string::npos) complete.push_back(scope);
  }
  if (complete.empty()) return std::vector<float>{};
  if (complete.size() > 1) {
    return InvalidArgument(file + ": " + std::to_string(complete.size()) +
                           " sets of constant anchors (" + complete[0] + ", " + complete[1] +
                           "); give the anchors with --config");
  }
  const auto& parts = found.at(complete[0]);
  num_anchors = static_cast<int64_t>(parts[0].size());
  std::vector<float> anchors(static_cast<size_t>(num_anchors) * 4);
  for (int64_t i = 0; i < num_anchors; ++i) {
    for (size_t k = 0; k < 4; ++k) {
      anchors[static_cast<size_t>(i) * 4 + k] = parts[k][static_cast<size_t>(i)];
    }
    if (!(anchors[static_cast<size_t>(i) * 4 + 2] > 0) ||
        !(anchors[static_cast<size_t>(i) * 4 + 3] > 0)) {
      return InvalidArgument(file + ": anchor " + std::to_string(i) + " in " + complete[0] +
                             " has a non-positive height or width");
    }
  }
  *source = complete[0];
  return anchors;
}

}  // namespace detlite::odapi
