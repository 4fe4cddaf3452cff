#include "importers/tf/function_inliner.h"

#include <vector>

#include "importers/tf/graph_importer.h"
#include "importers/tf/node_attrs.h"

namespace detlite::tf_import {
namespace {

constexpr int kMaxDepth = 32;
constexpr int kMaxNodes = 1 << 20;

// Output args of ops that have more than one, in OpDef order.
int OutputArgOffset(const std::string& op, const std::string& arg) {
  static const std::map<std::string, std::vector<std::string>> kArgs = {
      {"FusedBatchNorm", {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2"}},
      {"FusedBatchNormV2", {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2"}},
      {"FusedBatchNormV3", {"y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2",
                            "reserve_space_3"}},
      {"Unique", {"y", "idx"}},
      {"TopKV2", {"values", "indices"}},
      {"NonMaxSuppressionV4", {"selected_indices", "valid_outputs"}},
      {"NonMaxSuppressionV5", {"selected_indices", "selected_scores", "valid_outputs"}},
  };
  auto it = kArgs.find(op);
  if (it == kArgs.end()) return 0;
  for (size_t i = 0; i < it->second.size(); ++i) {
    if (it->second[i] == arg) return static_cast<int>(i);
  }
  return 0;
}

struct CallFrame {
  std::string prefix;
  std::map<std::string, std::string> args;      // arg name -> outer tensor
  std::map<std::string, std::string> body_ops;  // body node -> op
};

// A body tensor name ("arg", "node:out:idx", "^node") as a flat name.
std::string Rewrite(const CallFrame& f, const std::string& in) {
  if (!in.empty() && in[0] == '^') return "^" + f.prefix + in.substr(1);
  const size_t c1 = in.find(':');
  if (c1 == std::string::npos) {
    auto a = f.args.find(in);
    return a != f.args.end() ? a->second : f.prefix + in;
  }
  const std::string node = in.substr(0, c1);
  const size_t c2 = in.find(':', c1 + 1);
  if (c2 == std::string::npos) return f.prefix + in;  // already "node:k"
  const std::string arg = in.substr(c1 + 1, c2 - c1 - 1);
  int idx = 0;
  for (size_t i = c2 + 1; i < in.size() && idx < 100000; ++i) {
    if (in[i] < '0' || in[i] > '9') break;
    idx = idx * 10 + (in[i] - '0');
  }
  auto op = f.body_ops.find(node);
  const int offset = op == f.body_ops.end() ? 0 : OutputArgOffset(op->second, arg);
  return f.prefix + node + ":" + std::to_string(offset + idx);
}

const tf::FunctionDef* CalledFunction(const tf::NodeDef& n,
                                      const std::map<std::string, const tf::FunctionDef*>& lib) {
  std::string name;
  if (n.op() == "PartitionedCall" || n.op() == "StatefulPartitionedCall") {
    const tf::AttrValue* f = FindAttr(n, "f");
    if (!f || !f->has_func()) return nullptr;
    name = f->func().name();
  } else {
    name = n.op();
  }
  auto it = lib.find(name);
  return it == lib.end() ? nullptr : it->second;
}

}  // namespace

Status InlineFunctions(tf::GraphDef& graph, const std::string& file,
                       std::map<std::string, std::string>* calls) {
  // A copy: each round swaps `graph` with a new one, so pointers into its
  // library would dangle.
  const tf::FunctionDefLibrary library = graph.library();
  std::map<std::string, const tf::FunctionDef*> lib;
  for (const tf::FunctionDef& f : library.function()) lib[f.signature().name()] = &f;
  if (lib.empty()) return Status::Ok();
  for (int depth = 0;; ++depth) {
    tf::GraphDef out;
    bool any = false;
    for (const tf::NodeDef& n : graph.node()) {
      const tf::FunctionDef* fn = CalledFunction(n, lib);
      if (!fn) {
        *out.add_node() = n;
        continue;
      }
      any = true;
      if (calls) (*calls)[n.name()] = fn->signature().name();
      CallFrame frame;
      frame.prefix = n.name() + "/";
      std::vector<std::string> data_inputs;
      for (const std::string& in : n.input()) {
        if (in.empty() || in[0] != '^') data_inputs.push_back(in);
      }
      if (static_cast<int>(data_inputs.size()) != fn->signature().input_arg_size()) {
        return InvalidArgument(file + ": node '" + n.name() + "' calls " + fn->signature().name() +
                               " with " + std::to_string(data_inputs.size()) + " inputs; it takes " +
                               std::to_string(fn->signature().input_arg_size()));
      }
      for (int i = 0; i < fn->signature().input_arg_size(); ++i) {
        frame.args[fn->signature().input_arg(i).name()] = data_inputs[static_cast<size_t>(i)];
      }
      for (const tf::NodeDef& b : fn->node_def()) frame.body_ops[b.name()] = b.op();
      for (const tf::NodeDef& b : fn->node_def()) {
        tf::NodeDef* copy = out.add_node();
        *copy = b;
        copy->set_name(frame.prefix + b.name());
        copy->clear_input();
        for (const std::string& in : b.input()) copy->add_input(Rewrite(frame, in));
      }
      tf::NodeDef* result = out.add_node();
      result->set_name(n.name());
      result->set_op("IdentityN");
      for (const auto& arg : fn->signature().output_arg()) {
        auto ret = fn->ret().find(arg.name());
        if (ret == fn->ret().end()) {
          return InvalidArgument(file + ": function " + fn->signature().name() +
                                 " does not return its output '" + arg.name() + "'");
        }
        result->add_input(Rewrite(frame, ret->second));
      }
      if (out.node_size() > kMaxNodes) {
        return InvalidArgument(file + ": inlining functions makes more than " +
                               std::to_string(kMaxNodes) + " nodes");
      }
    }
    *out.mutable_library() = library;
    graph.Swap(&out);
    if (!any) return Status::Ok();
    if (depth >= kMaxDepth) {
      return InvalidArgument(file + ": function calls nest deeper than " + std::to_string(kMaxDepth) +
                             " (recursive functions?)");
    }
  }
}

}  // namespace detlite::tf_import
