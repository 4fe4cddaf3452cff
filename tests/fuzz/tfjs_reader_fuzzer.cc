// libFuzzer target for the TF.js graph-model reader (model.json parsing,
// topology to GraphDef, weights manifest, dequantization). An input is the
// model.json text, then a NUL byte, then the bytes every shard path reads
// back (so a corpus seed is `model.json + '\0' + shard`). Checked on every
// input: no crash, leak or undefined behaviour, and a rejected model gets a
// message naming the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "importers/tfjs/tfjs_reader.h"

#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t nul = all.find('\0');
  const std::string_view json = all.substr(0, nul);
  const std::string shard(nul == std::string_view::npos ? std::string_view() : all.substr(nul + 1));
  auto model = detlite::tfjs_import::ParseTfjsModel(
      json, "fuzz/model.json",
      [&shard](const std::string&) -> detlite::StatusOr<std::string> { return shard; });
  if (!model.ok() && model.status().message().find("fuzz/model.json") == std::string::npos) {
    std::fprintf(stderr, "tfjs_reader_fuzzer: error without the file name: %s\n",
                 model.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
