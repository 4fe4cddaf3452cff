// libFuzzer target for the dataset and label map readers that parse bytes
// from files: COCO json, VOC xml, label maps (txt and pbtxt) and the OD API
// tf.Example. The first input byte picks the reader. Properties checked:
// no crash or out-of-bounds access (ASan/UBSan), and every rejection names
// the file it was given.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "data/datasets/coco.h"
#include "data/datasets/label_map.h"
#include "data/datasets/od_example.h"
#include "data/datasets/voc.h"

namespace {

void CheckNamed(const detlite::Status& status, const char* name) {
  if (status.ok() || status.message().find(name) != std::string::npos) return;
  std::fprintf(stderr, "dataset_readers_fuzzer: error without the file name: %s\n",
               status.ToString().c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      CheckNamed(detlite::datasets::ParseCocoDataset(text, "/fz/c.json", {}).status(), "c.json");
      break;
    case 1:
      CheckNamed(detlite::datasets::ParseVocAnnotation(text, "v.xml").status(), "v.xml");
      break;
    case 2:
      CheckNamed(detlite::datasets::ParseTextLabelMap(text, "m.txt").status(), "m.txt");
      break;
    case 3:
      CheckNamed(detlite::datasets::ParsePbtxtLabelMap(text, "m.pbtxt").status(), "m.pbtxt");
      break;
    default: {
      detlite::DatasetSample sample;
      std::string source_id;
      CheckNamed(detlite::datasets::ParseOdExample(text, "r.record: record 0", &sample,
                                                   &source_id),
                 "r.record");
    }
  }
  return 0;
}
