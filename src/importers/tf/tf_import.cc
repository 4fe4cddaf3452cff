#include "importers/tf/tf_import.h"

#include <sys/stat.h>

#include "core/file_io.h"
#include "detlite/tf/saved_model.pb.h"
#include "importers/tf/saved_model.h"

namespace detlite::tf_import {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

StatusOr<TfImportResult> ImportTensorFlow(const std::string& path,
                                          const TfImportOptions& options) {
  if (IsDirectory(path)) return ImportSavedModelDir(path, options);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path, kMaxProtoFileBytes));
  if (EndsWith(path, "saved_model.pb")) return ImportSavedModelDir(DirName(path), options);
  if (EndsWith(path, ".meta")) {
    tf::MetaGraphDef meta;
    if (!meta.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return DataLoss(path + ": not a valid MetaGraphDef protobuf");
    }
    return ImportMetaGraph(meta, path, VariablesForMetaGraph(path, meta), options);
  }
  tf::GraphDef graph;
  if (!graph.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      graph.node_size() == 0) {
    return DataLoss(path + ": not a valid GraphDef protobuf (or it has no nodes)");
  }
  TfImportResult result;
  result.format = "graphdef";
  ASSIGN_OR_RETURN(result.model, ImportGraphDef(graph, path, options.graph,
                                                InitializerResolver(graph, path), &result.stats));
  return result;
}

}  // namespace detlite::tf_import
