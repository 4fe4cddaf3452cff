// libFuzzer target for the dataset readers that parse bytes from files. The
// first input byte picks the reader:
//  0: COCO json;  1: Pascal VOC xml;  2: one Object Detection API
//  tf.Example;  3: a TFRecord file of tf.Examples (framing, both CRCs, then
//  every record), read from a scratch file as LoadTfRecordDataset does.
// Label maps have their own target (label_map_fuzzer.cc). Checked: no crash
// or out-of-bounds access (ASan/UBSan), and every rejection names the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/datasets/coco.h"
#include "data/datasets/od_example.h"
#include "data/datasets/tfrecord_dataset.h"
#include "data/datasets/voc.h"
#include "fuzz_util.h"

namespace {

constexpr const char* kTarget = "dataset_readers_fuzzer";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using detlite::fuzz::CheckNamed;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      CheckNamed(detlite::datasets::ParseCocoDataset(text, "/fz/c.json", {}).status(), "c.json",
                 kTarget);
      break;
    case 1:
      CheckNamed(detlite::datasets::ParseVocAnnotation(text, "v.xml").status(), "v.xml", kTarget);
      break;
    case 2: {
      detlite::DatasetSample sample;
      std::string source_id;
      CheckNamed(
          detlite::datasets::ParseOdExample(text, "r.record: record 0", &sample, &source_id),
          "r.record", kTarget);
      break;
    }
    default: {
      const std::string path = detlite::fuzz::ScratchDir() + "/fuzz.record";
      detlite::fuzz::WriteScratchFile(path, text);
      CheckNamed(detlite::datasets::LoadTfRecordDataset(path, {}).status(), path, kTarget);
    }
  }
  return 0;
}
