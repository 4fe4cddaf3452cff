// detlite inspect MODEL [--json]
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "detlite/model.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

struct InspectParams {
  std::string model;
  bool json = false;
  bool graph = false;
};

nlohmann::json InfoJson(const ModelInfo& info) {
  nlohmann::json j;
  j["path"] = info.path;
  j["file_bytes"] = info.file_bytes;
  j["schema_version"] = info.schema_version;
  j["description"] = info.description;
  j["subgraphs"] = info.subgraphs;
  j["inputs"] = nlohmann::json::array();
  for (const auto& t : info.inputs) j["inputs"].push_back(TensorInfoJson(t));
  j["outputs"] = nlohmann::json::array();
  for (const auto& t : info.outputs) j["outputs"].push_back(TensorInfoJson(t));
  j["ops"] = info.ops;
  j["op_histogram"] = info.op_histogram;
  j["tensors"] = info.tensors;
  j["parameters"] = info.parameters;
  for (const auto& [dtype, st] : info.constants_by_dtype) {
    j["constants_by_dtype"][dtype] = {
        {"tensors", st.tensors}, {"elements", st.elements}, {"bytes", st.bytes}};
  }
  j["macs"] = info.macs;
  j["metadata"] = info.metadata;
  j["min_runtime_version"] = info.min_runtime_version;
  j["signatures"] = nlohmann::json::array();
  for (const auto& s : info.signatures) {
    nlohmann::json sj = {{"key", s.key}, {"subgraph", s.subgraph}};
    for (const auto& [n, i] : s.inputs) sj["inputs"][n] = i;
    for (const auto& [n, i] : s.outputs) sj["outputs"][n] = i;
    j["signatures"].push_back(sj);
  }
  j["sparse_tensors"] = nlohmann::json::array();
  for (const auto& s : info.sparse_tensors) {
    j["sparse_tensors"].push_back({{"name", s.name},
                                   {"dense_elements", s.dense_elements},
                                   {"stored_elements", s.stored_elements}});
  }
  j["constant_sparsity"] = nlohmann::json::array();
  for (const auto& c : info.constant_sparsity) {
    j["constant_sparsity"].push_back({{"name", c.name},
                                      {"dtype", c.dtype},
                                      {"elements", c.elements},
                                      {"zeros", c.zeros},
                                      {"stored_sparse", c.stored_sparse},
                                      {"stored_elements", c.stored_elements}});
  }
  j["op_sparsity"] = nlohmann::json::array();
  for (const auto& o : info.op_sparsity) {
    j["op_sparsity"].push_back({{"op_index", o.op_index},
                                {"op", o.op},
                                {"weights", o.weights},
                                {"weight_elements", o.weight_elements},
                                {"zero_weights", o.zero_weights},
                                {"macs", o.macs},
                                {"skippable_macs", o.skippable_macs}});
  }
  j["sparsity"] = {{"weights", info.sparsity.weights},
                   {"zero_weights", info.sparsity.zero_weights},
                   {"macs", info.sparsity.macs},
                   {"skippable_macs", info.sparsity.skippable_macs}};
  j["warnings"] = info.warnings;
  return j;
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// Constants at least half zeros (or stored sparse) one line each, the rest
// counted; conv/FC ops with zero weights one line each; then the summary.
void PrintSparsity(const ModelInfo& info) {
  int quiet = 0;
  std::printf("sparsity (zeros of each constant; MACs a sparse kernel could skip):\n");
  for (const auto& c : info.constant_sparsity) {
    if (!c.stored_sparse && 2 * c.zeros < c.elements) {
      ++quiet;
      continue;
    }
    std::printf("  %-48s %-8s %5.1f%% zeros of %lld%s\n", c.name.c_str(), c.dtype.c_str(),
                Percent(c.zeros, c.elements), static_cast<long long>(c.elements),
                c.stored_sparse ? (", stored sparse (" + std::to_string(c.stored_elements) +
                                   " values)").c_str()
                                : ", stored dense");
  }
  if (quiet > 0) std::printf("  (%d other constants are under 50%% zeros; --json lists all)\n", quiet);
  for (const auto& o : info.op_sparsity) {
    if (o.zero_weights == 0) continue;
    std::printf("  op %-4d %-18s %5.1f%% zero weights, skippable %.2f of %.2f M MACs\n", o.op_index,
                o.op.c_str(), Percent(o.zero_weights, o.weight_elements),
                static_cast<double>(o.skippable_macs) / 1e6, static_cast<double>(o.macs) / 1e6);
  }
  const SparsitySummary& s = info.sparsity;
  std::printf("weights: %lld, zero: %lld (%.1f%%); MACs: %.1f M, skippable: %.1f M (%.1f%%)\n",
              static_cast<long long>(s.weights), static_cast<long long>(s.zero_weights),
              Percent(s.zero_weights, s.weights), static_cast<double>(s.macs) / 1e6,
              static_cast<double>(s.skippable_macs) / 1e6, Percent(s.skippable_macs, s.macs));
}

void PrintText(const ModelInfo& info) {
  std::printf("%s: %s, TFLite schema v%u, %d subgraph(s)\n", info.path.c_str(),
              HumanBytes(info.file_bytes).c_str(), info.schema_version, info.subgraphs);
  if (!info.description.empty()) std::printf("  description: %s\n", info.description.c_str());
  std::printf("inputs:\n");
  for (const auto& t : info.inputs) {
    std::printf("  %%%d %-32s %s\n", t.index, t.name.c_str(), TensorInfoText(t).c_str());
  }
  std::printf("outputs:\n");
  for (const auto& t : info.outputs) {
    std::printf("  %%%d %-32s %s\n", t.index, t.name.c_str(), TensorInfoText(t).c_str());
  }
  std::printf("ops: %d, tensors: %d\n", info.ops, info.tensors);
  for (const auto& [name, n] : info.op_histogram) std::printf("  %-30s %d\n", name.c_str(), n);
  std::printf("parameters: %lld, MACs: %.1f M\n", static_cast<long long>(info.parameters),
              static_cast<double>(info.macs) / 1e6);
  for (const auto& [dtype, st] : info.constants_by_dtype) {
    std::printf("  %-8s %4lld tensors %10lld elements %12s\n", dtype.c_str(),
                static_cast<long long>(st.tensors), static_cast<long long>(st.elements),
                HumanBytes(st.bytes).c_str());
  }
  PrintSparsity(info);
  if (!info.metadata.empty()) {
    std::printf("metadata:\n");
    for (const auto& [name, bytes] : info.metadata) {
      std::printf("  %-30s %s\n", name.c_str(), HumanBytes(bytes).c_str());
    }
  }
  if (!info.min_runtime_version.empty()) {
    std::printf("min_runtime_version: %s\n", info.min_runtime_version.c_str());
  }
  for (const auto& s : info.signatures) {
    std::printf("signature '%s' (subgraph %d): %zu inputs, %zu outputs\n", s.key.c_str(),
                s.subgraph, s.inputs.size(), s.outputs.size());
  }
  for (const auto& w : info.warnings) std::printf("warning: %s\n", w.c_str());
}

Status RunInspect(const InspectParams& p) {
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  const ModelInfo info = model.Inspect();
  if (p.json) {
    std::cout << DumpJson(InfoJson(info), 2) << "\n";
  } else {
    PrintText(info);
    if (p.graph) std::cout << model.ToText();
  }
  return Status::Ok();
}

}  // namespace

void AddInspectCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<InspectParams>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "Show a model's inputs and outputs (dtype, shape, quantization), op counts,\n"
      "parameters and bytes by dtype, a MACs estimate, metadata, signatures, and\n"
      "sparsity: the zeros of each constant (and whether it is stored sparse),\n"
      "per conv/FC op the MACs a sparse kernel could skip (those with a zero\n"
      "weight), and a summary (weights, zero weights, MACs, skippable MACs).\n"
      "Example: detlite inspect detect.tflite --json");
  cmd->add_option("model", params->model, "a .tflite file")->required();
  cmd->add_flag("--json", params->json, "print one JSON object instead of text");
  cmd->add_flag("--graph", params->graph, "also print every tensor and op");
  cmd->callback([params, run] { *run = [params] { return RunInspect(*params); }; });
}

}  // namespace detlite::cli
