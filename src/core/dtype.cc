#include "core/dtype.h"

#include <array>

namespace detlite {
namespace {

struct DTypeInfo {
  DType type;
  std::string_view name;
  size_t size;
};

constexpr std::array<DTypeInfo, 19> kInfo = {{
    {DType::kFloat32, "float32", 4},   {DType::kFloat16, "float16", 2},
    {DType::kFloat64, "float64", 8},   {DType::kInt4, "int4", 0},
    {DType::kInt8, "int8", 1},         {DType::kInt16, "int16", 2},
    {DType::kInt32, "int32", 4},       {DType::kInt64, "int64", 8},
    {DType::kUInt8, "uint8", 1},       {DType::kUInt16, "uint16", 2},
    {DType::kUInt32, "uint32", 4},     {DType::kUInt64, "uint64", 8},
    {DType::kBool, "bool", 1},         {DType::kString, "string", 0},
    {DType::kComplex64, "complex64", 8}, {DType::kComplex128, "complex128", 16},
    {DType::kResource, "resource", 0}, {DType::kVariant, "variant", 0},
    {DType::kBFloat16, "bfloat16", 2},
}};

}  // namespace

size_t DTypeSize(DType t) {
  for (const auto& i : kInfo) if (i.type == t) return i.size;
  return 0;
}

std::string_view DTypeName(DType t) {
  for (const auto& i : kInfo) if (i.type == t) return i.name;
  return "unknown";
}

bool DTypeFromName(std::string_view name, DType* out) {
  for (const auto& i : kInfo) {
    if (i.name == name) {
      *out = i.type;
      return true;
    }
  }
  return false;
}

bool IsQuantizedIntType(DType t) {
  return t == DType::kInt4 || t == DType::kInt8 || t == DType::kUInt8 ||
         t == DType::kInt16;
}

}  // namespace detlite
