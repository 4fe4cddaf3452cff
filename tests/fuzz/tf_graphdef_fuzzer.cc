// libFuzzer target for the TensorFlow GraphDef importer (protobuf parsing,
// dependency order, op mapping, constant folding). Checked on every input:
// no crash, leak or undefined behaviour, and a rejected graph gets a
// message naming the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "detlite/tf/graph.pb.h"
#include "importers/tf/graph_importer.h"

#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  detlite::tf::GraphDef graph;
  if (!graph.ParseFromArray(data, static_cast<int>(size))) return 0;
  detlite::tf_import::GraphImportStats stats;
  auto model = detlite::tf_import::ImportGraphDef(
      graph, "fuzz.pb", {}, detlite::tf_import::InitializerResolver(graph, "fuzz.pb"), &stats);
  if (!model.ok() && model.status().message().find("fuzz.pb") == std::string::npos) {
    std::fprintf(stderr, "tf_graphdef_fuzzer: error without the file name: %s\n",
                 model.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
