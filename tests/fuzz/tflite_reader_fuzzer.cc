// libFuzzer target for the .tflite reader, and through it the writer.
// Properties checked on every input (a violation aborts, so libFuzzer
// saves the input):
//  - reading never crashes or reads out of bounds (ASan/UBSan);
//  - a rejected input gets a message naming the file;
//  - an accepted model with nothing unrepresentable is written, and reading
//    the written bytes gives the same model back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/ir_compare.h"

namespace {

void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "tflite_reader_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

bool Representable(const detlite::ir::Model& m) {
  if (!m.unsupported_features.empty()) return false;
  for (const auto& sg : m.subgraphs) {
    for (const auto& op : sg.ops) {
      if (op.options_unsupported) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = detlite::ReadTfliteBuffer(data, size, "fuzz.tflite");
  if (!model.ok()) {
    if (model.status().message().rfind("fuzz.tflite: ", 0) != 0) {
      Fail("error without the file name", model.status().ToString());
    }
    return 0;
  }
  if (!Representable(*model)) return 0;
  auto bytes = detlite::WriteTfliteBuffer(*model);
  if (!bytes.ok()) Fail("read model not writable", bytes.status().ToString());
  auto again = detlite::ReadTfliteBuffer(bytes->data(), bytes->size(), "rewritten");
  if (!again.ok()) Fail("written model not readable", again.status().ToString());
  const std::string diff =
      detlite::testing::DiffModels(*model, *again, {.op_versions = false});
  if (!diff.empty()) Fail("round trip changed the model", diff);
  return 0;
}
