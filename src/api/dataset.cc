// Public LoadDataset / LoadSampleImage / LoadLabelMap: picks the format of a
// path, then hands it to its reader in src/data/datasets.
#include "detlite/dataset.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "data/datasets/coco.h"
#include "data/datasets/dir_list.h"
#include "data/datasets/folder.h"
#include "data/datasets/label_map.h"
#include "data/datasets/tfrecord.h"
#include "data/datasets/tfrecord_dataset.h"
#include "data/datasets/voc.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;

// COCO annotation files reach hundreds of MB (instances_train2017: 450 MB).
constexpr uint64_t kMaxJsonBytes = uint64_t{2} << 30;
constexpr uint64_t kMaxLabelMapBytes = 64 << 20;

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

StatusOr<Dataset> LoadCoco(const std::string& json, const DatasetOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(json, kMaxJsonBytes));
  return datasets::ParseCocoDataset(text, json, options);
}

// The COCO json a directory names: labels.json, else its only *.json, else
// the only annotations/*.json. "" when there is none.
StatusOr<std::string> FindCocoJson(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(dir / "labels.json", ec)) return (dir / "labels.json").string();
  for (const fs::path& d : {dir, dir / "annotations"}) {
    if (!fs::is_directory(d, ec)) continue;
    ASSIGN_OR_RETURN(std::vector<std::string> jsons, datasets::ListFiles(d.string(), {".json"}));
    if (jsons.size() == 1) return (d / jsons[0]).string();
    if (jsons.size() > 1) {
      return InvalidArgument(d.string() + ": holds " + std::to_string(jsons.size()) +
                             " json files; name the COCO annotation file itself");
    }
  }
  return std::string();
}

bool StartsWithTfRecordHeader(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  uint8_t header[datasets::kTfRecordHeaderBytes];
  const size_t n = std::fread(header, 1, sizeof(header), f);
  std::fclose(f);
  return datasets::IsTfRecordHeader(header, n);
}

StatusOr<Dataset> LoadDirectory(const std::string& path, const DatasetOptions& options) {
  const fs::path dir(path);
  std::error_code ec;
  if (fs::is_directory(dir / "Annotations", ec)) {
    ASSIGN_OR_RETURN(std::vector<std::string> xmls,
                     datasets::ListFiles((dir / "Annotations").string(), {".xml"}));
    if (!xmls.empty()) return datasets::LoadVocDataset(path, options);
  }
  ASSIGN_OR_RETURN(std::string json, FindCocoJson(dir));
  if (!json.empty()) return LoadCoco(json, options);
  return datasets::LoadImageFolder(path, options);
}

}  // namespace

StatusOr<Dataset> LoadDataset(const std::string& path, const DatasetOptions& options) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return NotFound(path + ": no such file or directory");
  StatusOr<Dataset> ds = fs::is_directory(st) ? LoadDirectory(path, options) : [&]() {
    const std::string ext = LowerExtension(path);
    if (ext == ".json") return LoadCoco(path, options);
    if (ext == ".record" || ext == ".tfrecord" || StartsWithTfRecordHeader(path)) {
      return datasets::LoadTfRecordDataset(path, options);
    }
    return StatusOr<Dataset>(InvalidArgument(
        path + ": not a dataset (expected a COCO .json, a TFRecord, or a directory of "
               "VOC annotations, a COCO json or images)"));
  }();
  if (ds.ok()) ds->path = path;
  return ds;
}

StatusOr<RgbImage> LoadSampleImage(const DatasetSample& sample) {
  if (!sample.encoded_image.empty()) {
    return DecodeImageBytes(sample.encoded_image.data(), sample.encoded_image.size(),
                            sample.file_name.empty() ? "embedded image" : sample.file_name);
  }
  if (sample.image_path.empty()) {
    return InvalidArgument("sample " + std::to_string(sample.image_id) + " ('" +
                           sample.file_name + "') has no image");
  }
  return ReadImage(sample.image_path);
}

std::string LabelMap::Name(int id) const {
  auto it = names.find(id);
  return it == names.end() ? std::string() : it->second;
}

const char* LabelFormatName(LabelFormat format) {
  switch (format) {
    case LabelFormat::kLines: return "one name a line";
    case LabelFormat::kIdName: return "id name lines";
    case LabelFormat::kPbtxt: return "pbtxt label map";
    case LabelFormat::kYaml: return "yaml names";
    case LabelFormat::kJson: return "json names";
  }
  return "unknown";
}

StatusOr<LabelMap> LoadLabelMap(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path, kMaxLabelMapBytes));
  return datasets::ParseLabelMap(text, path);
}

}  // namespace detlite
