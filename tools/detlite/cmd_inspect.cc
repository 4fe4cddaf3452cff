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
  j["warnings"] = info.warnings;
  return j;
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
  for (const auto& s : info.sparse_tensors) {
    std::printf("  sparse %s: %lld of %lld elements stored (%.1f%%)\n", s.name.c_str(),
                static_cast<long long>(s.stored_elements), static_cast<long long>(s.dense_elements),
                s.dense_elements ? 100.0 * static_cast<double>(s.stored_elements) /
                                       static_cast<double>(s.dense_elements) : 0.0);
  }
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
      "parameters and bytes by dtype, a MACs estimate, metadata, signatures and\n"
      "sparse tensors.\n"
      "Example: detlite inspect detect.tflite --json");
  cmd->add_option("model", params->model, "a .tflite file")->required();
  cmd->add_flag("--json", params->json, "print one JSON object instead of text");
  cmd->add_flag("--graph", params->graph, "also print every tensor and op");
  cmd->callback([params, run] { *run = [params] { return RunInspect(*params); }; });
}

}  // namespace detlite::cli
