#include "importers/odapi/ssd_decoder.h"

#include <cmath>
#include <cstring>
#include <map>

#include "importers/odapi/graph_walk.h"

namespace detlite::odapi {
namespace {

constexpr int64_t kMaxAnchors = int64_t{1} << 22;

// The one value of a scalar float Const behind `input` (through Identity).
bool ScalarConst(const NodeMap& nodes, const std::string& input, float* value) {
  auto it = nodes.find(NodeOf(input));
  for (int i = 0; i < kMaxWalk && it != nodes.end() && it->second->op() == "Identity" &&
                  it->second->input_size() > 0;
       ++i) {
    it = nodes.find(NodeOf(it->second->input(0)));
  }
  std::vector<float> v;
  std::vector<int64_t> dims;
  if (it == nodes.end() || !FloatConst(*it->second, &v, &dims) || v.size() != 1) return false;
  *value = v[0];
  return std::isfinite(v[0]);
}

// The node behind `input` once layout ops are skipped.
const tf::NodeDef* SkipLayout(const NodeMap& nodes, const std::string& input) {
  auto it = nodes.find(NodeOf(input));
  for (int i = 0; i < kMaxWalk && it != nodes.end() && IsLayoutOp(it->second->op()) &&
                  it->second->input_size() > 0;
       ++i) {
    it = nodes.find(NodeOf(it->second->input(0)));
  }
  return it == nodes.end() ? nullptr : it->second;
}

bool IsUnpack4(const tf::NodeDef& n) {
  if (n.op() != "Unpack" || n.input_size() < 1) return false;
  auto num = n.attr().find("num");
  return num != n.attr().end() && num->second.i() == 4;
}

}  // namespace

StatusOr<std::vector<float>> FindCornerAnchors(const tf::GraphDef& graph, int64_t num_anchors,
                                               const std::string& file, std::string* source) {
  const NodeMap nodes = Nodes(graph);
  std::map<std::string, std::string> found;  // Const -> an Unpack reading it
  for (const tf::NodeDef& n : graph.node()) {
    if (!IsUnpack4(n)) continue;
    const tf::NodeDef* c = SkipLayout(nodes, n.input(0));
    std::vector<float> v;
    std::vector<int64_t> dims;
    if (c == nullptr || !FloatConst(*c, &v, &dims) || dims.empty() || dims.back() != 4) continue;
    const int64_t count = static_cast<int64_t>(v.size()) / 4;
    if (count < 1 || (num_anchors > 0 && count != num_anchors)) continue;
    found.emplace(c->name(), n.name());
  }
  if (found.size() > 1) {
    // The box decoder's, not one another op (e.g. clipping) unstacks.
    std::map<std::string, std::string> decoder;
    for (const auto& [c, unpack] : found) {
      if (unpack.find("Decode") != std::string::npos) decoder.emplace(c, unpack);
    }
    if (!decoder.empty()) found = decoder;
  }
  if (found.empty()) return std::vector<float>{};
  if (found.size() > 1) {
    return InvalidArgument(file + ": " + std::to_string(found.size()) +
                           " constants of corner anchors (" + found.begin()->first + ", " +
                           std::next(found.begin())->first + "); give the anchors with --config");
  }
  const tf::NodeDef& c = *nodes.at(found.begin()->first);
  std::vector<float> v;
  std::vector<int64_t> dims;
  FloatConst(c, &v, &dims);
  std::vector<float> anchors(v.size());
  for (size_t i = 0; i < v.size() / 4; ++i) {
    const float* box = &v[i * 4];  // ymin, xmin, ymax, xmax
    const float h = box[2] - box[0], w = box[3] - box[1];
    if (!(h > 0) || !(w > 0) || !std::isfinite(h) || !std::isfinite(w)) {
      return InvalidArgument(file + ": anchor " + std::to_string(i) + " in '" + c.name() +
                             "' is not a box (ymin, xmin, ymax, xmax with ymax > ymin, xmax > xmin)");
    }
    anchors[i * 4 + 0] = box[0] + h * 0.5f;
    anchors[i * 4 + 1] = box[1] + w * 0.5f;
    anchors[i * 4 + 2] = h;
    anchors[i * 4 + 3] = w;
  }
  *source = c.name() + " (corner boxes, read by " + found.begin()->second + ")";
  return anchors;
}

namespace {

// Scale s from a per-anchor factor c[i] = size[i] / s, if all agree (to
// float rounding); 0 otherwise.
float ScaleFromSizes(const NodeMap& nodes, const std::string& input, const std::vector<float>& anchors,
                     size_t coordinate) {
  auto it = nodes.find(NodeOf(input));
  std::vector<float> c;
  std::vector<int64_t> dims;
  const size_t n = anchors.size() / 4;
  if (n == 0 || it == nodes.end() || !FloatConst(*it->second, &c, &dims) || c.size() != n) return 0;
  const double s = static_cast<double>(anchors[coordinate]) / c[0];
  for (size_t i = 0; i < n; ++i) {
    const double si = static_cast<double>(anchors[i * 4 + coordinate]) / c[i];
    if (!std::isfinite(si) || std::fabs(si - s) > 1e-4 * std::fabs(s)) return 0;
  }
  // The configs' scales are round numbers; the division leaves float noise.
  const double r = std::round(s * 1000) / 1000;
  return static_cast<float>(std::fabs(r - s) < 1e-4 * std::fabs(s) ? r : s);
}

}  // namespace

std::vector<float> FindBoxScales(const tf::GraphDef& graph, const std::string& box_encodings,
                                 const std::vector<float>& anchors, std::string* source) {
  const NodeMap nodes = Nodes(graph);
  const ConsumerMap consumers = Consumers(graph);
  std::vector<float> found;
  // Forward from the encodings through layout ops to the Unpacks of (ty, tx, th, tw).
  WalkForward(consumers, box_encodings, [&](const tf::NodeDef& n, const std::string&) {
    if (!IsUnpack4(n)) return false;
    std::vector<float> scales(4, 0.0f);
    for (int k = 0; k < 4; ++k) {
      const std::string part = n.name() + ":" + std::to_string(k);
      auto readers = consumers.find(part);
      if (readers == consumers.end()) break;
      float& scale = scales[static_cast<size_t>(k)];
      for (const tf::NodeDef* r : readers->second) {
        if (r->input_size() != 2) continue;
        const bool first = TensorKey(r->input(0)) == part;
        float c = 0;
        if (r->op() == "Mul" && ScalarConst(nodes, r->input(first ? 1 : 0), &c) && c != 0) {
          scale = 1.0f / c;  // folded: x * (1 / scale)
        } else if (r->op() == "Mul" && k < 2) {
          // folded with the anchor size: ty * (ha / y_scale), tx * (wa / x_scale)
          scale = ScaleFromSizes(nodes, r->input(first ? 1 : 0), anchors, static_cast<size_t>(k) + 2);
        } else if ((r->op() == "RealDiv" || r->op() == "Div") && first &&
                   ScalarConst(nodes, r->input(1), &c)) {
          scale = c;
        }
        if (scale > 0) break;
      }
    }
    for (float s : scales) {
      if (!(s > 0) || !std::isfinite(s)) return false;
    }
    *source = n.name();
    found = scales;
    return true;
  });
  return found;
}

std::string FindScoreConverter(const tf::GraphDef& graph, const std::string& class_predictions) {
  std::string converter;
  WalkForward(Consumers(graph), class_predictions, [&](const tf::NodeDef& n, const std::string&) {
    const std::string& name = n.name();
    const std::string kIdentity = "convert_scores";
    if (n.op() == "Sigmoid") {
      converter = "sigmoid";
    } else if (n.op() == "Softmax") {
      converter = "softmax";
    } else if (n.op() == "Identity" && name.size() >= kIdentity.size() &&
               name.compare(name.size() - kIdentity.size(), kIdentity.size(), kIdentity) == 0) {
      converter = "identity";
    }
    return !converter.empty();
  });
  return converter;
}

}  // namespace detlite::odapi
