#include "data/datasets/tfrecord_dataset.h"

#include <charconv>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "data/datasets/od_example.h"
#include "data/datasets/tfrecord.h"

namespace detlite::datasets {
namespace {

bool ParseId(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

StatusOr<Dataset> LoadTfRecordDataset(const std::string& path, const DatasetOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<TfRecordReader> reader, TfRecordReader::Open(path));
  Dataset ds;
  ds.path = path;
  ds.format = "tfrecord";
  std::map<int, std::string> names;
  std::vector<int64_t> source_ids;
  bool ids_usable = true;
  std::string record;
  while (options.max_samples < 0 ||
         static_cast<int64_t>(ds.samples.size()) < options.max_samples) {
    const int64_t index = reader->records_read();
    ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) break;
    DatasetSample s;
    std::string source_id;
    RETURN_IF_ERROR(ParseOdExample(record, path + ": record " + std::to_string(index), &s,
                                   &source_id));
    int64_t id = 0;
    ids_usable = ids_usable && ParseId(source_id, &id);
    source_ids.push_back(id);
    s.image_id = index;
    for (const BoxAnnotation& b : s.boxes) {
      std::string& name = names[b.category_id];
      if (name.empty()) name = b.label;
    }
    ds.samples.push_back(std::move(s));
  }
  if (ds.samples.empty()) return DataLoss(path + ": holds no records");
  if (ids_usable && std::set<int64_t>(source_ids.begin(), source_ids.end()).size() ==
                        source_ids.size()) {
    for (size_t i = 0; i < ds.samples.size(); ++i) ds.samples[i].image_id = source_ids[i];
  }
  for (const auto& [id, name] : names) ds.categories.push_back({id, name});
  // A record may leave class/text out while another names the same id.
  for (DatasetSample& s : ds.samples) {
    for (BoxAnnotation& b : s.boxes) {
      if (b.label.empty()) b.label = names[b.category_id];
    }
  }
  return ds;
}

}  // namespace detlite::datasets
