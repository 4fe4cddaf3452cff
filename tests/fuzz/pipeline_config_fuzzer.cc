// libFuzzer target for the Object Detection API pipeline.config reader
// (protobuf text format into plain structs, src/importers/odapi). Checked:
// no crash or undefined behaviour, and every rejection names the file.
#include <cstddef>
#include <cstdint>
#include <string>

#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"
#include "importers/odapi/pipeline_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = detlite::odapi::ParsePipelineConfig(text, "pipeline.config");
  detlite::fuzz::CheckNamed(config.status(), "pipeline.config", "pipeline_config_fuzzer");
  return 0;
}
