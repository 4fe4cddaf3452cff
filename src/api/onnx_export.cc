#include <algorithm>
#include <cctype>

#include "detlite/onnx.h"
#include "exporters/onnx/onnx_writer.h"

namespace detlite {

Status SaveOnnx(const Model& model, const std::string& path) {
  return WriteOnnxFile(model.ir(), path);
}

bool IsOnnxPath(const std::string& path) {
  constexpr std::string_view kExt = ".onnx";
  if (path.size() < kExt.size()) return false;
  return std::equal(kExt.begin(), kExt.end(), path.end() - static_cast<std::ptrdiff_t>(kExt.size()),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace detlite
