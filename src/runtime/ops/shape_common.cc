#include "runtime/ops/shape_common.h"

#include <cstring>

namespace detlite::runtime::shape {

Status CheckIntType(const OpContext& ctx, const TensorRef* t, const char* what) {
  if (t->dtype != DType::kInt32 && t->dtype != DType::kInt64) {
    return ctx.Error(std::string(what) + " '" + t->name() + "' is " +
                     std::string(DTypeName(t->dtype)) + ", expected int32 or int64");
  }
  return Status::Ok();
}

Status ReadInts(const OpContext& ctx, const TensorRef* t, const char* what,
                std::vector<int64_t>* out) {
  RETURN_IF_ERROR(CheckIntType(ctx, t, what));
  const int64_t n = t->NumElements();
  const size_t elem = DTypeSize(t->dtype);
  if (n < 0 || t->data == nullptr || t->bytes < static_cast<size_t>(n) * elem) {
    return ctx.Error(std::string(what) + " '" + t->name() + "' has no readable values");
  }
  out->resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    if (t->dtype == DType::kInt32) {
      int32_t v;
      std::memcpy(&v, t->data + i * 4, 4);
      (*out)[static_cast<size_t>(i)] = v;
    } else {
      int64_t v;
      std::memcpy(&v, t->data + i * 8, 8);
      (*out)[static_cast<size_t>(i)] = v;
    }
  }
  return Status::Ok();
}

Status NormalizeAxis(const OpContext& ctx, int64_t axis, int rank, const char* what,
                     int* out) {
  if (axis < -rank || axis >= rank) {
    return ctx.Error(std::string(what) + " " + std::to_string(axis) +
                     " is out of range for rank " + std::to_string(rank));
  }
  *out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::Ok();
}

StatusOr<Shape> DeclaredOutputShape(const OpContext& ctx, int i, const char* why) {
  const TensorRef* out = ctx.output(i);
  const Shape& declared = out->ir ? out->ir->shape : out->shape;
  const bool has_rank = out->ir ? out->ir->has_rank : true;
  if (!has_rank || !declared.IsFullyDefined()) {
    return ctx.Error(std::string(why) +
                     " is only known when the model runs, and the output's declared "
                     "shape " + declared.ToString() + " is not fully defined");
  }
  return declared;
}

Status CheckPlannedShape(const OpContext& ctx, int i, const Shape& actual) {
  if (ctx.output(i)->shape != actual) {
    return ctx.Error("computes output shape " + actual.ToString() +
                     " at run time, but " + ctx.output(i)->shape.ToString() +
                     " was planned from the declared shape");
  }
  return Status::Ok();
}

Status UnsupportedType(const OpContext& ctx, DType t, const char* what) {
  return ctx.Error(std::string(what) + " type " + std::string(DTypeName(t)) +
                   " is not supported");
}

size_t CopyableSize(DType t) {
  const size_t s = DTypeSize(t);
  return (s == 1 || s == 2 || s == 4 || s == 8) ? s : 0;
}

std::vector<int64_t> Dims64(const Shape& s) {
  return std::vector<int64_t>(s.dims().begin(), s.dims().end());
}

int64_t Product(const Shape& s, int begin, int end) {
  int64_t p = 1;
  for (int i = begin; i < end; ++i) p *= s.dim(i);
  return p;
}

bool SameQuant(const TensorRef& a, const TensorRef& b) {
  return a.scale() == b.scale() && a.zero_point() == b.zero_point();
}

}  // namespace detlite::runtime::shape
