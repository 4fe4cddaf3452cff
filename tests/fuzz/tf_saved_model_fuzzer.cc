// libFuzzer target for SavedModel import through the public API
// (ImportModel): saved_model.pb (TF1 signatures or TF2 object graph and
// functions), the variables tensor bundle (index table and data shard), the
// Object Detection API SSD recognition and the passes after import. An input
// is three files joined by kPartSeparator (fuzz_util.h):
//   saved_model.pb, variables/variables.index,
//   variables/variables.data-00000-of-00001
// written into a scratch directory. Checked: no crash, leak or undefined
// behaviour, and a rejected model gets a message naming a file in it.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>

#include "detlite/import.h"
#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using detlite::fuzz::ScratchDir;
  using detlite::fuzz::WriteScratchFile;
  const auto parts = detlite::fuzz::SplitParts(data, size, 3);
  static const std::string dir = [] {
    const std::string d = ScratchDir() + "/sm";
    ::mkdir(d.c_str(), 0700);
    ::mkdir((d + "/variables").c_str(), 0700);
    return d;
  }();
  WriteScratchFile(dir + "/saved_model.pb", parts[0]);
  WriteScratchFile(dir + "/variables/variables.index", parts[1]);
  WriteScratchFile(dir + "/variables/variables.data-00000-of-00001", parts[2]);
  auto model = detlite::ImportModel(dir);
  detlite::fuzz::CheckNamed(model.status(), dir, "tf_saved_model_fuzzer");
  return 0;
}
