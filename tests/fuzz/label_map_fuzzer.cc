// libFuzzer target for label maps in every format (label_map*.cc) and the
// zip archive a .tflite carries them in. The first input byte picks:
//  0..4: ParseLabelMap (format recognised from the content) under the names
//        m.txt, m.pbtxt, m.json, m.yaml, labels (no extension);
//  5: lines;  6: pbtxt;  7: id:name;  8: yaml;  9: json (each forced);
//  10: the rest as an appended zip (FindAppendedZip, Relocate, StoredFiles),
//      every stored file then parsed as a label map, as `detlite detect`
//      does with a model's embedded labels.
// Checked: no crash or undefined behaviour, and every rejection names the
// file; a map ParseLabelMap accepts keeps names within kMaxLabelNameBytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/appended_zip.h"
#include "data/datasets/label_map.h"
#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"

namespace {

constexpr const char* kTarget = "label_map_fuzzer";

// `bounded`: the map came from ParseLabelMap, which enforces the name limit.
void Check(const detlite::StatusOr<detlite::LabelMap>& map, const std::string& name,
           bool bounded = false) {
  detlite::fuzz::CheckNamed(map.status(), name, kTarget);
  if (!map.ok() || !bounded) return;
  for (const auto& [id, label] : map->names) {
    if (label.size() > detlite::datasets::kMaxLabelNameBytes) std::abort();
  }
}

void ParseFiles(const std::map<std::string, std::vector<uint8_t>>& files) {
  for (const auto& [name, file] : files) {
    if (file.size() > detlite::zip::kMaxFileBytes) std::abort();
    Check(detlite::datasets::ParseLabelMap(
              std::string_view(reinterpret_cast<const char*>(file.data()), file.size()), name),
          name, true);
  }
}

// As a .tflite's tail: found, its entries read in place, then relocated to
// offset 0 and read again (what the reader keeps); else read as a whole.
void FuzzZip(const uint8_t* data, size_t size) {
  namespace zip = detlite::zip;
  const std::vector<uint8_t> bytes(data, data + size);
  if (auto start = zip::FindAppendedZip(data, size)) {
    if (*start > size) std::abort();
    const std::vector<uint8_t> archive(bytes.begin() + *start, bytes.end());
    ParseFiles(zip::StoredFiles(archive, *start));
    if (auto moved = zip::Relocate(archive, *start, 0)) ParseFiles(zip::StoredFiles(*moved, 0));
  } else {
    ParseFiles(zip::StoredFiles(bytes, 0));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ds = detlite::datasets;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const char* kNames[] = {"m.txt", "m.pbtxt", "m.json", "m.yaml", "labels"};
  const int pick = data[0] % 11;
  switch (pick) {
    case 5: Check(ds::ParseTextLabelMap(text, "m.txt"), "m.txt"); break;
    case 6: Check(ds::ParsePbtxtLabelMap(text, "m.pbtxt"), "m.pbtxt"); break;
    case 7: Check(ds::ParseIdNameLabelMap(text, "m.txt"), "m.txt"); break;
    case 8: Check(ds::ParseYamlLabelMap(text, "m.yaml"), "m.yaml"); break;
    case 9: Check(ds::ParseJsonLabelMap(text, "m.json"), "m.json"); break;
    case 10: FuzzZip(data + 1, size - 1); break;
    default: Check(ds::ParseLabelMap(text, kNames[pick]), kNames[pick], true);
  }
  return 0;
}
