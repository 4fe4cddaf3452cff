#include "importers/odapi/ssd_decoder.h"

#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <set>

namespace detlite::odapi {
namespace {

using NodeMap = std::map<std::string, const tf::NodeDef*>;

constexpr int kDtFloat = 1;
constexpr int64_t kMaxAnchors = int64_t{1} << 22;
constexpr int kMaxWalk = 32;  // layout ops between two ops of interest

std::string NodeOf(const std::string& input) {
  std::string s = input;
  if (!s.empty() && s[0] == '^') s.erase(0, 1);
  const size_t colon = s.find(':');
  return colon == std::string::npos ? s : s.substr(0, colon);
}

// "n" and "n:0" are the same tensor.
std::string TensorKey(const std::string& input) {
  return input.find(':') == std::string::npos ? input + ":0" : input;
}

// Ops that move or repeat elements without changing them; their data input
// is input 0.
bool IsLayoutOp(const std::string& op) {
  static const std::set<std::string> kOps = {"Identity", "Reshape", "Tile", "ExpandDims",
                                             "Squeeze", "Transpose", "StopGradient", "Snapshot"};
  return kOps.count(op) > 0;
}

NodeMap Nodes(const tf::GraphDef& graph) {
  NodeMap nodes;
  for (const tf::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  return nodes;
}

// tensor ("node:k") -> the nodes reading it as a data input.
std::map<std::string, std::vector<const tf::NodeDef*>> Consumers(const tf::GraphDef& graph) {
  std::map<std::string, std::vector<const tf::NodeDef*>> out;
  for (const tf::NodeDef& n : graph.node()) {
    for (const std::string& in : n.input()) {
      if (!in.empty() && in[0] != '^') out[TensorKey(in)].push_back(&n);
    }
  }
  return out;
}

// Float values and dims of a Const, or false.
bool FloatConst(const tf::NodeDef& n, std::vector<float>* values, std::vector<int64_t>* dims) {
  if (n.op() != "Const") return false;
  auto it = n.attr().find("value");
  if (it == n.attr().end() || !it->second.has_tensor()) return false;
  const tf::TensorProto& t = it->second.tensor();
  if (t.dtype() != kDtFloat) return false;
  int64_t count = 1;
  dims->clear();
  for (const auto& d : t.tensor_shape().dim()) {
    if (d.size() < 0 || d.size() > kMaxAnchors * 4 || count * d.size() > kMaxAnchors * 4) return false;
    dims->push_back(d.size());
    count *= d.size();
  }
  values->assign(static_cast<size_t>(count), 0.0f);
  if (t.tensor_content().size() == static_cast<size_t>(count) * 4) {
    std::memcpy(values->data(), t.tensor_content().data(), values->size() * 4);
  } else if (t.float_val_size() == count) {
    for (int64_t i = 0; i < count; ++i) (*values)[static_cast<size_t>(i)] = t.float_val(static_cast<int>(i));
  } else if (t.float_val_size() == 1) {  // TensorFlow's splat of one value
    values->assign(static_cast<size_t>(count), t.float_val(0));
  } else {
    return false;
  }
  return true;
}

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
  const auto consumers = Consumers(graph);
  // Forward from the encodings through layout ops to the Unpacks of (ty, tx, th, tw).
  std::deque<std::string> queue = {TensorKey(box_encodings)};
  std::set<std::string> seen;
  for (int steps = 0; !queue.empty() && steps < 4 * kMaxWalk; ++steps) {
    const std::string tensor = queue.front();
    queue.pop_front();
    if (!seen.insert(tensor).second) continue;
    auto it = consumers.find(tensor);
    if (it == consumers.end()) continue;
    for (const tf::NodeDef* n : it->second) {
      if (IsLayoutOp(n->op()) && n->input_size() > 0 && TensorKey(n->input(0)) == tensor) {
        queue.push_back(n->name() + ":0");
        continue;
      }
      if (!IsUnpack4(*n)) continue;
      std::vector<float> scales(4, 0.0f);
      for (int k = 0; k < 4; ++k) {
        auto readers = consumers.find(n->name() + ":" + std::to_string(k));
        if (readers == consumers.end()) break;
        for (const tf::NodeDef* r : readers->second) {
          if (r->input_size() != 2) continue;
          const bool first = TensorKey(r->input(0)) == n->name() + ":" + std::to_string(k);
          float c = 0;
          if (r->op() == "Mul" && ScalarConst(nodes, r->input(first ? 1 : 0), &c) && c != 0) {
            scales[static_cast<size_t>(k)] = 1.0f / c;  // folded: x * (1 / scale)
          } else if (r->op() == "Mul" && k < 2) {
            // folded with the anchor size: ty * (ha / y_scale), tx * (wa / x_scale)
            scales[static_cast<size_t>(k)] =
                ScaleFromSizes(nodes, r->input(first ? 1 : 0), anchors, static_cast<size_t>(k) + 2);
          } else if ((r->op() == "RealDiv" || r->op() == "Div") && first &&
                     ScalarConst(nodes, r->input(1), &c)) {
            scales[static_cast<size_t>(k)] = c;
          }
          if (scales[static_cast<size_t>(k)] > 0) break;
        }
      }
      bool all = true;
      for (float s : scales) all &= s > 0 && std::isfinite(s);
      if (!all) continue;
      *source = n->name();
      return scales;
    }
  }
  return {};
}

std::string FindScoreConverter(const tf::GraphDef& graph, const std::string& class_predictions) {
  const auto consumers = Consumers(graph);
  std::deque<std::string> queue = {TensorKey(class_predictions)};
  std::set<std::string> seen;
  for (int steps = 0; !queue.empty() && steps < 4 * kMaxWalk; ++steps) {
    const std::string tensor = queue.front();
    queue.pop_front();
    if (!seen.insert(tensor).second) continue;
    auto it = consumers.find(tensor);
    if (it == consumers.end()) continue;
    for (const tf::NodeDef* n : it->second) {
      if (n->op() == "Sigmoid") return "sigmoid";
      if (n->op() == "Softmax") return "softmax";
      const std::string& name = n->name();
      const std::string kIdentity = "convert_scores";
      if (n->op() == "Identity" && name.size() >= kIdentity.size() &&
          name.compare(name.size() - kIdentity.size(), kIdentity.size(), kIdentity) == 0) {
        return "identity";
      }
      if (IsLayoutOp(n->op()) && n->input_size() > 0 && TensorKey(n->input(0)) == tensor) {
        queue.push_back(n->name() + ":0");
      }
    }
  }
  return "";
}

}  // namespace detlite::odapi
