// libFuzzer target for the dataset readers that parse bytes from files. The
// first input byte picks the reader:
//  0: COCO json;  1: Pascal VOC xml;  2: one Object Detection API
//  tf.Example;  3: a TFRecord file of tf.Examples (framing, both CRCs, then
//  every record), read from a scratch file as LoadTfRecordDataset does;
//  4: records joined by kPartSeparator, framed here with correct lengths
//  and CRCs (so mutations reach the records past the CRC checks).
// Label maps have their own target (label_map_fuzzer.cc). Checked: no crash
// or out-of-bounds access (ASan/UBSan), and every rejection names the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/crc32c.h"
#include "data/datasets/coco.h"
#include "data/datasets/od_example.h"
#include "data/datasets/tfrecord_dataset.h"
#include "data/datasets/voc.h"
#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"

namespace {

constexpr const char* kTarget = "dataset_readers_fuzzer";

void PutLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

std::string Frame(const std::string& joined) {
  namespace crc = detlite::crc32c;
  std::string file;
  std::string_view rest = joined;
  for (;;) {
    const size_t at = rest.find(detlite::fuzz::kPartSeparator);
    const std::string_view record = rest.substr(0, at);
    std::string header;
    PutLe(&header, record.size(), 8);
    PutLe(&header, crc::Mask(crc::Value(header.data(), 8)), 4);
    file += header;
    file += record;
    PutLe(&file, crc::Mask(crc::Value(record.data(), record.size())), 4);
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + detlite::fuzz::kPartSeparator.size());
  }
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using detlite::fuzz::CheckNamed;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
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
      detlite::fuzz::WriteScratchFile(path, data[0] % 5 == 3 ? text : Frame(text));
      CheckNamed(detlite::datasets::LoadTfRecordDataset(path, {}).status(), path, kTarget);
    }
  }
  return 0;
}
