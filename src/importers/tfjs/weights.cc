// The weights manifest and the decoding of a group's bytes into tensors.
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "importers/tfjs/tfjs_parts.h"
#include "importers/tfjs/tfjs_reader.h"
#include "core/fp16.h"

namespace detlite::tfjs_import {
namespace {

// Largest element count one weight may declare (checked before the bytes
// left, so the product of dims cannot overflow).
constexpr int64_t kMaxElements = int64_t{1} << 31;

Status ParseQuantization(const Json& q, const std::string& where, WeightSpec* w) {
  if (!q.is_object()) return DataLoss(where + ": 'quantization' must be an object");
  auto dt = q.find("dtype");
  if (dt == q.end() || !dt->is_string()) {
    return DataLoss(where + ": quantization has no 'dtype'");
  }
  w->quant_dtype = dt->get<std::string>();
  if (w->quant_dtype == "float16") {
    if (w->dtype != "float32") {
      return DataLoss(where + ": float16 quantization of a " + w->dtype + " weight");
    }
  } else if (w->quant_dtype == "uint8" || w->quant_dtype == "uint16") {
    auto mn = q.find("min"), sc = q.find("scale");
    if (mn == q.end() || sc == q.end() || !mn->is_number() || !sc->is_number()) {
      return DataLoss(where + ": " + w->quant_dtype + " quantization needs numbers 'min' and 'scale'");
    }
    w->min = mn->get<double>();
    w->scale = sc->get<double>();
    if (!std::isfinite(w->min) || !std::isfinite(w->scale)) {
      return DataLoss(where + ": quantization 'min' and 'scale' must be finite");
    }
    if (w->dtype != "float32" && w->dtype != "int32") {
      return DataLoss(where + ": " + w->quant_dtype + " quantization of a " + w->dtype + " weight");
    }
  } else {
    return DataLoss(where + ": unknown quantization dtype '" + w->quant_dtype +
                    "' (uint8, uint16 or float16)");
  }
  if (auto od = q.find("original_dtype"); od != q.end()) {
    if (!od->is_string() || od->get<std::string>() != w->dtype) {
      return DataLoss(where + ": quantization 'original_dtype' differs from the weight's dtype");
    }
  }
  return Status::Ok();
}

StatusOr<WeightSpec> ParseWeight(const Json& j, const std::string& where) {
  if (!j.is_object()) return DataLoss(where + ": not an object");
  WeightSpec w;
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
    return DataLoss(where + ": missing 'name'");
  }
  w.name = name->get<std::string>();
  const std::string at = where + " '" + w.name + "'";
  auto dtype = j.find("dtype");
  if (dtype == j.end() || !dtype->is_string()) return DataLoss(at + ": missing 'dtype'");
  w.dtype = dtype->get<std::string>();
  if (w.dtype == "string") return Unimplemented(at + ": string weights are not supported");
  if (w.dtype != "float32" && w.dtype != "int32" && w.dtype != "bool") {
    return DataLoss(at + ": unknown dtype '" + w.dtype + "' (float32, int32 or bool)");
  }
  auto shape = j.find("shape");
  if (shape == j.end() || !shape->is_array()) return DataLoss(at + ": missing 'shape'");
  if (shape->size() > 8) return DataLoss(at + ": shape has more than 8 dimensions");
  w.elements = 1;
  for (const Json& d : *shape) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0 ||
        d.get<int64_t>() > std::numeric_limits<int32_t>::max()) {
      return DataLoss(at + ": shape " + shape->dump() + " has a dimension that is not an integer in 0..2^31-1");
    }
    w.shape.push_back(d.get<int64_t>());
    if (w.elements > 0 && d.get<int64_t>() > kMaxElements / w.elements) {
      return DataLoss(at + ": shape " + shape->dump() + " is too large");
    }
    w.elements *= d.get<int64_t>();
  }
  if (auto q = j.find("quantization"); q != j.end() && !q->is_null()) {
    RETURN_IF_ERROR(ParseQuantization(*q, at, &w));
  }
  return w;
}

// TensorFlow DataType codes of the decoded values.
int32_t TfDType(const std::string& dtype) {
  if (dtype == "int32") return 3;  // DT_INT32
  if (dtype == "bool") return 10;  // DT_BOOL
  return 1;                        // DT_FLOAT
}

template <typename Q>
void Dequantize(const WeightSpec& w, const uint8_t* src, std::string* dst) {
  const size_t n = static_cast<size_t>(w.elements);
  dst->resize(n * 4);
  for (size_t i = 0; i < n; ++i) {
    Q q;
    std::memcpy(&q, src + i * sizeof(Q), sizeof(Q));
    const double v = static_cast<double>(q) * w.scale + w.min;
    if (w.dtype == "int32") {
      const double r = std::floor(v + 0.5);
      const int32_t x = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : static_cast<int32_t>(r);
      std::memcpy(dst->data() + i * 4, &x, 4);
    } else {
      const float f = static_cast<float>(v);
      std::memcpy(dst->data() + i * 4, &f, 4);
    }
  }
}

void DecodeHalf(const WeightSpec& w, const uint8_t* src, std::string* dst) {
  const size_t n = static_cast<size_t>(w.elements);
  dst->resize(n * 4);
  for (size_t i = 0; i < n; ++i) {
    uint16_t h;
    std::memcpy(&h, src + i * 2, 2);
    const float f = HalfToFloat(h);
    std::memcpy(dst->data() + i * 4, &f, 4);
  }
}

}  // namespace

int StoredElementBytes(const WeightSpec& w) {
  if (w.quant_dtype == "uint8") return 1;
  if (w.quant_dtype == "uint16" || w.quant_dtype == "float16") return 2;
  return w.dtype == "bool" ? 1 : 4;
}

StatusOr<std::vector<WeightGroup>> ParseManifest(const Json& manifest, const std::string& file) {
  if (!manifest.is_array()) return DataLoss(file + ": 'weightsManifest' must be a list");
  std::vector<WeightGroup> groups;
  std::set<std::string> names;
  for (size_t g = 0; g < manifest.size(); ++g) {
    const std::string where = file + ": weightsManifest[" + std::to_string(g) + "]";
    const Json& j = manifest[g];
    if (!j.is_object()) return DataLoss(where + ": not an object");
    WeightGroup group;
    auto paths = j.find("paths");
    auto weights = j.find("weights");
    if (paths == j.end() || !paths->is_array()) return DataLoss(where + ": missing 'paths' list");
    if (weights == j.end() || !weights->is_array()) return DataLoss(where + ": missing 'weights' list");
    for (const Json& p : *paths) {
      if (!p.is_string() || p.get<std::string>().empty()) {
        return DataLoss(where + ": 'paths' must hold file names");
      }
      group.paths.push_back(p.get<std::string>());
    }
    for (size_t i = 0; i < weights->size(); ++i) {
      ASSIGN_OR_RETURN(WeightSpec w, ParseWeight((*weights)[i], where + ".weights[" + std::to_string(i) + "]"));
      if (!names.insert(w.name).second) {
        return DataLoss(where + ": weight '" + w.name + "' is listed twice");
      }
      group.weights.push_back(std::move(w));
    }
    if (group.paths.empty() && !group.weights.empty()) {
      return DataLoss(where + ": weights listed but no shard 'paths'");
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

Status DecodeGroup(const WeightGroup& group, std::string_view bytes, const std::string& where,
                   std::map<std::string, tf::TensorProto>* out) {
  uint64_t offset = 0;
  for (const WeightSpec& w : group.weights) {
    const uint64_t need = static_cast<uint64_t>(w.elements) * static_cast<uint64_t>(StoredElementBytes(w));
    if (need > bytes.size() - offset) {
      return DataLoss(where + ": weight '" + w.name + "' needs " + std::to_string(need) +
                      " bytes at offset " + std::to_string(offset) + ", the shards hold " +
                      std::to_string(bytes.size()) + " bytes in all (truncated shard, or wrong shape?)");
    }
    const auto* src = reinterpret_cast<const uint8_t*>(bytes.data() + offset);
    tf::TensorProto t;
    t.set_dtype(TfDType(w.dtype));
    for (int64_t d : w.shape) t.mutable_tensor_shape()->add_dim()->set_size(d);
    std::string* content = t.mutable_tensor_content();
    if (w.quant_dtype == "uint8") {
      Dequantize<uint8_t>(w, src, content);
    } else if (w.quant_dtype == "uint16") {
      Dequantize<uint16_t>(w, src, content);
    } else if (w.quant_dtype == "float16") {
      DecodeHalf(w, src, content);
    } else {
      content->assign(reinterpret_cast<const char*>(src), need);
    }
    offset += need;
    (*out)[w.name] = std::move(t);
  }
  if (offset != bytes.size()) {
    return DataLoss(where + ": the shards hold " + std::to_string(bytes.size()) +
                    " bytes but the manifest's weights take " + std::to_string(offset));
  }
  return Status::Ok();
}

}  // namespace detlite::tfjs_import
