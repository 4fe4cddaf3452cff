#include "importers/odapi/graph_walk.h"

#include <cstring>
#include <deque>
#include <set>

namespace detlite::odapi {

constexpr int kDtFloat = 1;
constexpr int64_t kMaxConstElements = int64_t{1} << 24;

std::string NodeOf(const std::string& input) {
  std::string s = input;
  if (!s.empty() && s[0] == '^') s.erase(0, 1);
  const size_t colon = s.find(':');
  return colon == std::string::npos ? s : s.substr(0, colon);
}

std::string TensorKey(const std::string& input) {
  return input.find(':') == std::string::npos ? input + ":0" : input;
}

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

ConsumerMap Consumers(const tf::GraphDef& graph) {
  ConsumerMap out;
  for (const tf::NodeDef& n : graph.node()) {
    for (const std::string& in : n.input()) {
      if (!in.empty() && in[0] != '^') out[TensorKey(in)].push_back(&n);
    }
  }
  return out;
}

bool FloatConst(const tf::NodeDef& n, std::vector<float>* values, std::vector<int64_t>* dims) {
  if (n.op() != "Const") return false;
  auto it = n.attr().find("value");
  if (it == n.attr().end() || !it->second.has_tensor()) return false;
  const tf::TensorProto& t = it->second.tensor();
  if (t.dtype() != kDtFloat) return false;
  int64_t count = 1;
  dims->clear();
  for (const auto& d : t.tensor_shape().dim()) {
    if (d.size() < 0 || d.size() > kMaxConstElements || count * d.size() > kMaxConstElements) {
      return false;
    }
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

bool WalkForward(const ConsumerMap& consumers, const std::string& tensor,
                 const std::function<bool(const tf::NodeDef&, const std::string&)>& visit) {
  std::deque<std::string> queue = {TensorKey(tensor)};
  std::set<std::string> seen;
  for (int steps = 0; !queue.empty() && steps < 4 * kMaxWalk; ++steps) {
    const std::string t = queue.front();
    queue.pop_front();
    if (!seen.insert(t).second) continue;
    auto it = consumers.find(t);
    if (it == consumers.end()) continue;
    for (const tf::NodeDef* n : it->second) {
      if (visit(*n, t)) return true;
      if (IsLayoutOp(n->op()) && n->input_size() > 0 && TensorKey(n->input(0)) == t) {
        queue.push_back(n->name() + ":0");
      }
    }
  }
  return false;
}

}  // namespace detlite::odapi
