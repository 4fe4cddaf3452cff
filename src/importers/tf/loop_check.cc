#include "importers/tf/loop_check.h"

#include <deque>
#include <map>

#include "importers/tf/graph_importer.h"
#include "importers/tf/node_attrs.h"

namespace detlite::tf_import {
namespace {

bool IsLoopOp(const std::string& op) {
  static const std::set<std::string> kOps = {
      "Enter",  "RefEnter", "Exit",           "RefExit", "NextIteration", "RefNextIteration",
      "LoopCond", "While",  "StatelessWhile", "_While"};
  return kOps.count(op) > 0;
}

// Ops that only make sense with a loop: TF1 TensorArrays, TF2 TensorLists,
// and the Merge/Switch pairs of control flow.
bool IsLoopCompanion(const std::string& op) {
  return op.rfind("TensorArray", 0) == 0 || op.rfind("TensorList", 0) == 0 || op == "Merge" ||
         op == "Switch" || op == "RefMerge" || op == "RefSwitch";
}

// Float tensors only: the image or feature map to cut at, not the loop's
// counters and sizes.
bool IsFloatOutput(const tf::NodeDef& n) {
  for (const char* attr : {"T", "dtype", "DstT", "element_dtype", "out_type"}) {
    const tf::AttrValue* a = FindAttr(n, attr);
    if (a != nullptr && a->value_case() == tf::AttrValue::kType) return a->type() == 1;  // DT_FLOAT
  }
  return false;
}

std::string List(const std::set<std::string>& names) {
  std::string s;
  int count = 0;
  for (const std::string& n : names) {
    if (++count > 4) {
      s += ",...";
      break;
    }
    s += (s.empty() ? "" : ",") + n;
  }
  return s;
}

}  // namespace

Status CheckNoLoops(const NodeIndex& index, const std::vector<std::string>& roots,
                    const std::set<std::string>& stops, const std::string& file) {
  // The nodes the roots need (a loop is a cycle: visit each node once).
  std::set<std::string> needed;
  std::deque<std::string> queue;
  for (const std::string& r : roots) queue.push_back(ParseTensorName(r).first);
  const tf::NodeDef* loop = nullptr;
  while (!queue.empty()) {
    const std::string name = queue.front();
    queue.pop_front();
    auto it = index.find(name);
    if (it == index.end() || !needed.insert(name).second) continue;
    if (stops.count(name)) continue;  // not imported: a model input
    if (loop == nullptr && IsLoopOp(it->second->op())) loop = it->second;
    for (const std::string& in : it->second->input()) {
      auto [src, idx] = ParseTensorName(in);
      if (idx >= 0) queue.push_back(src);
    }
  }
  if (loop == nullptr) return Status::Ok();

  // The loop's region among the needed nodes: loop ops, TensorArrays and
  // Merge/Switch, and the body (everything an Enter feeds, up to the Exits).
  std::set<std::string> region;
  std::map<std::string, std::vector<std::string>> readers;  // node -> needed nodes reading it
  for (const std::string& name : needed) {
    const tf::NodeDef& n = *index.at(name);
    if (IsLoopOp(n.op()) || IsLoopCompanion(n.op())) region.insert(name);
    for (const std::string& in : n.input()) {
      auto [src, idx] = ParseTensorName(in);
      if (idx >= 0) readers[src].push_back(name);
    }
  }
  std::deque<std::string> body;
  for (const std::string& name : region) {
    if (index.at(name)->op().find("Enter") != std::string::npos) body.push_back(name);
  }
  std::set<std::string> walked;
  while (!body.empty()) {
    const std::string name = body.front();
    body.pop_front();
    if (!walked.insert(name).second || index.at(name)->op().find("Exit") != std::string::npos) continue;
    for (const std::string& r : readers[name]) {
      region.insert(r);
      body.push_back(r);
    }
  }
  // What crosses the region's border, in float: where to cut.
  std::set<std::string> after, before;
  for (const std::string& name : needed) {
    const tf::NodeDef& n = *index.at(name);
    const bool inside = region.count(name) > 0;
    for (const std::string& in : n.input()) {
      auto [src, idx] = ParseTensorName(in);
      if (idx < 0 || !needed.count(src) || region.count(src) == static_cast<size_t>(inside)) continue;
      const tf::NodeDef& producer = *index.at(src);
      if (producer.op() == "Const" || !IsFloatOutput(producer)) continue;
      const std::string tensor = idx > 0 ? src + ":" + std::to_string(idx) : src;
      (inside ? before : after).insert(tensor);
    }
  }
  std::string msg = file + ": node '" + loop->name() + "' (" + loop->op() +
                    ") is part of a while loop the outputs need; loops cannot be converted to "
                    "TFLite builtins. Cut the graph around it";
  if (!after.empty()) msg += ": --inputs " + List(after) + " with --input-shape (start after the loop)";
  if (!before.empty()) msg += std::string(after.empty() ? ": " : ", or ") + "--outputs " + List(before) + " (end before it)";
  return Unimplemented(msg);
}

}  // namespace detlite::tf_import
