// Helpers shared by the shape and quantize families' Prepare/Eval functions
// (shape_*.cc, quantize_*.cc): reading small integer parameter tensors,
// axis normalization, output shapes that depend on runtime values, and
// dispatch of data-movement kernels by element size.
#ifndef DETLITE_RUNTIME_OPS_SHAPE_COMMON_H_
#define DETLITE_RUNTIME_OPS_SHAPE_COMMON_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "detlite/status.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime::shape {

// The op's options of type T; defaults when the op carries none.
template <typename T>
StatusOr<T> OptionsOr(const OpContext& ctx) {
  if (const T* o = std::get_if<T>(&ctx.op().options)) return *o;
  if (std::holds_alternative<std::monostate>(ctx.op().options)) return T{};
  return ctx.Error("has options of an unexpected type");
}

// True when the tensor's values can be read now (a constant in Prepare;
// anything in Eval).
inline bool HasValues(const TensorRef* t) { return t != nullptr && t->data != nullptr; }

// Reads an int32 or int64 tensor (any shape) into `out`. `what` names it in
// errors. Fails on other dtypes or a size mismatch.
Status ReadInts(const OpContext& ctx, const TensorRef* t, const char* what,
                std::vector<int64_t>* out);
// Checks the dtype only (int32 or int64).
Status CheckIntType(const OpContext& ctx, const TensorRef* t, const char* what);

// axis in [-rank, rank) -> [0, rank).
Status NormalizeAxis(const OpContext& ctx, int64_t axis, int rank, const char* what,
                     int* out);

// The shape the model declares for output i, required to be fully defined:
// used when the real shape depends on tensor values known only in Eval.
StatusOr<Shape> DeclaredOutputShape(const OpContext& ctx, int i, const char* why);

// Eval-time check that a shape computed from runtime values matches the one
// planned in Prepare.
Status CheckPlannedShape(const OpContext& ctx, int i, const Shape& actual);

// Error for a dtype the op does not support.
Status UnsupportedType(const OpContext& ctx, DType t, const char* what);

// Element size in bytes of a type a data-movement kernel can copy (1, 2, 4
// or 8), or 0 for strings and other variable-size types.
size_t CopyableSize(DType t);

// Calls f.template operator()<U>() with U an unsigned integer type of the
// given byte size (1, 2, 4, 8): data-movement kernels only copy bytes.
template <typename F>
void DispatchBySize(size_t size, F&& f) {
  switch (size) {
    case 1: f.template operator()<uint8_t>(); break;
    case 2: f.template operator()<uint16_t>(); break;
    case 4: f.template operator()<uint32_t>(); break;
    default: f.template operator()<uint64_t>(); break;
  }
}

// Whether the judge runs this op with the XNNPACK delegate's arithmetic.
// It does for the ops XNNPACK claims, unless some node of the model makes
// the delegate fail to build its runtime (for instance a uint8/int8
// RESIZE_BILINEAR whose output quantization differs from its input's):
// TFLite then restores the undelegated plan and every op of the model runs
// on TFLite's own kernels (measured). That is a property of the whole
// model, which a kernel cannot see; until the interpreter passes it down,
// kernels assume the delegate is active.
inline bool JudgeUsesXnnpack(const OpContext& /*ctx*/) { return true; }

// Calls f.template operator()<T>() with T float for float32 and int32_t
// otherwise: for ops whose Prepare admitted only those two types.
template <typename F>
void ByFloatOrInt32(DType t, F&& f) {
  if (t == DType::kFloat32) {
    f.template operator()<float>();
  } else {
    f.template operator()<int32_t>();
  }
}

std::vector<int64_t> Dims64(const Shape& s);
int64_t Product(const Shape& s, int begin, int end);

// Same per-tensor scale and zero point (both absent also counts as same).
bool SameQuant(const TensorRef& a, const TensorRef& b);

}  // namespace detlite::runtime::shape

#endif  // DETLITE_RUNTIME_OPS_SHAPE_COMMON_H_
