#include "json_util.h"

#include <cstdio>

namespace detlite::cli {

std::string ShapeText(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string HumanBytes(int64_t bytes) {
  char buf[32];
  if (bytes >= (1 << 20)) {
    std::snprintf(buf, sizeof(buf), "%.2f MiB", static_cast<double>(bytes) / (1 << 20));
  } else if (bytes >= (1 << 10)) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / (1 << 10));
  } else {
    std::snprintf(buf, sizeof(buf), "%lld B", static_cast<long long>(bytes));
  }
  return buf;
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json TensorInfoJson(const TensorInfo& t) {
  nlohmann::json j = {{"index", t.index}, {"name", t.name}, {"dtype", t.dtype},
                      {"shape", t.shape}};
  if (!t.shape_signature.empty()) j["shape_signature"] = t.shape_signature;
  if (!t.quant.empty()) {
    j["quantization"] = {{"scale", t.quant.scale},
                         {"zero_point", t.quant.zero_point},
                         {"quantized_dimension", t.quant.quantized_dimension}};
  }
  return j;
}

std::string TensorInfoText(const TensorInfo& t) {
  std::string s = t.dtype + ShapeText(t.shape);
  if (t.quant.scale.size() == 1) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), " q(scale %.6g, zp %lld)", t.quant.scale[0],
                  static_cast<long long>(t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0]));
    s += buf;
  } else if (t.quant.scale.size() > 1) {
    s += " q(per-axis, " + std::to_string(t.quant.scale.size()) + " scales)";
  }
  return s;
}

}  // namespace detlite::cli
