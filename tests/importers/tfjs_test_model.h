// Builds small TF.js graph models (model.json text + shard bytes) in code,
// so each broken model is spelled out next to the test that uses it.
// The graph: y = x + w, x a [1,4] float placeholder, w a [4] Const whose
// value comes from the weights manifest.
#ifndef DETLITE_TESTS_IMPORTERS_TFJS_TEST_MODEL_H_
#define DETLITE_TESTS_IMPORTERS_TFJS_TEST_MODEL_H_

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "importers/tfjs/tfjs_reader.h"

namespace detlite::testing {

struct TfjsTestModel {
  nlohmann::json json;
  std::map<std::string, std::string> shards;  // path -> bytes

  std::string Text() const { return json.dump(); }
  nlohmann::json& Weight(size_t i = 0) { return json["weightsManifest"][0]["weights"][i]; }
  tfjs_import::ShardReader Reader() const {
    return [this](const std::string& p) -> StatusOr<std::string> {
      auto it = shards.find(p);
      if (it == shards.end()) return NotFound("no such shard " + p);
      return it->second;
    };
  }
};

inline std::string FloatBytes(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4);
}

inline TfjsTestModel AddModel() {
  using J = nlohmann::json;
  TfjsTestModel m;
  m.json = J::parse(R"({
    "format": "graph-model",
    "generatedBy": "test",
    "convertedBy": "test",
    "signature": {"inputs": {"x:0": {"name": "x:0", "dtype": "DT_FLOAT"}},
                  "outputs": {"y:0": {"name": "y:0", "dtype": "DT_FLOAT"}}},
    "modelTopology": {"node": [
      {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
        "shape": {"shape": {"dim": [{"size": "1"}, {"size": "4"}]}}}},
      {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
        "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "4"}]}}}}},
      {"name": "y", "op": "AddV2", "input": ["x", "w"], "attr": {"T": {"type": "DT_FLOAT"}}}
    ], "library": {}, "versions": {}},
    "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
      "weights": [{"name": "w", "shape": [4], "dtype": "float32"}]}]
  })");
  m.shards["group1-shard1of1.bin"] = FloatBytes({1.0f, -2.0f, 0.5f, 8.0f});
  return m;
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_IMPORTERS_TFJS_TEST_MODEL_H_
