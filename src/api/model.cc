#include <sys/stat.h>

#include "detlite/model.h"
#include "detlite/import.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "ir/graph.h"
#include "ir/printer.h"

namespace detlite {

Model::Model(std::shared_ptr<ir::Model> ir, std::string path)
    : ir_(std::move(ir)), path_(std::move(path)) {}

StatusOr<Model> Model::Load(const std::string& path) {
  // TensorFlow formats (a .pb/.meta file or a SavedModel directory) go
  // through the importer with default options.
  if (IsImportablePath(path)) return ImportModel(path);
  ASSIGN_OR_RETURN(ir::Model m, ReadTfliteFile(path));
  Model model(std::make_shared<ir::Model>(std::move(m)), path);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) model.file_bytes_ = static_cast<int64_t>(st.st_size);
  return model;
}

Status Model::Save(const std::string& path) const {
  Status s = WriteTfliteFile(*ir_, path);
  // Errors from the writer already name the file; add it only when missing.
  if (s.ok() || s.message().find(path) != std::string::npos) return s;
  return s.WithContext(path);
}

std::string Model::ToText() const { return ir::ModelToString(*ir_); }

}  // namespace detlite
