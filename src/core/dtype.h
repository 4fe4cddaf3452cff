// Element types of tensors, independent of any file format.
#ifndef DETLITE_CORE_DTYPE_H_
#define DETLITE_CORE_DTYPE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace detlite {

enum class DType : uint8_t {
  kFloat32,
  kFloat16,
  kFloat64,
  kInt4,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kBool,
  kString,
  kComplex64,
  kComplex128,
  kResource,
  kVariant,
  kBFloat16,
};

// Bytes per element; 0 for types with no fixed size (string, resource,
// variant) and for int4 (packed two per byte; see PackedByteSize).
size_t DTypeSize(DType t);
std::string_view DTypeName(DType t);  // "float32", "int8", ...
bool DTypeFromName(std::string_view name, DType* out);
bool IsQuantizedIntType(DType t);  // int4/int8/uint8/int16

}  // namespace detlite

#endif  // DETLITE_CORE_DTYPE_H_
