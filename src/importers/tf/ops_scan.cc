// TensorFlow's scans, segment reductions, scatters and diagonals with TFLite
// builtins (op audit of issue 10): Cumsum, Bucketize, ScatterNd, SegmentSum,
// UnsortedSegmentSum / Prod / Max / Min, MatrixDiag and MatrixSetDiag (V1, and
// V2 / V3 on the main diagonal, which is what TFLite's ops compute).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

// Ids and indices: a constant becomes int32; a computed tensor must be int32.
StatusOr<int32_t> Int32Ids(ImportContext& ctx, const tf::NodeDef& n, int32_t t,
                           const std::string& what) {
  if (ctx.tensor(t).is_constant()) return Int32Const(ctx, n, t, what);
  if (ctx.tensor(t).dtype != DType::kInt32) {
    return ctx.NodeError(n.name(), n.op(), what + " must be int32 or a constant");
  }
  return t;
}

Outs Cumsum(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t axis, Int32Const(ctx, n, in[1], "axis"));
  ir::CumsumOptions o{AttrBool(n, "exclusive", false), AttrBool(n, "reverse", false)};
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kCumsum, {in[0], axis}, o));
  return std::vector<int32_t>{out};
}

Outs Bucketize(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  ir::BucketizeOptions o;
  if (const tf::AttrValue* a = FindAttr(n, "boundaries");
      a != nullptr && a->value_case() == tf::AttrValue::kList) {
    o.boundaries.assign(a->list().f().begin(), a->list().f().end());
  }
  for (size_t i = 0; i < o.boundaries.size(); ++i) {
    if (std::isnan(o.boundaries[i]) || (i > 0 && o.boundaries[i] < o.boundaries[i - 1])) {
      return ctx.NodeError(n.name(), n.op(), "boundaries must be ascending numbers");
    }
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1As(n.name(), ir::OpKind::kBucketize, {in[0]}, o,
                                            DType::kInt32));
  return std::vector<int32_t>{out};
}

Outs ScatterNd(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  ASSIGN_OR_RETURN(int32_t idx, Int32Ids(ctx, n, in[0], "indices"));
  ASSIGN_OR_RETURN(int32_t shape, Int32Const(ctx, n, in[2], "shape"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1As(n.name(), ir::OpKind::kScatterNd, {idx, in[1], shape},
                                            std::monostate{}, ctx.tensor(in[1]).dtype));
  return std::vector<int32_t>{out};
}

Outs SegmentSum(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  // The output's first dimension is the last id plus one: known only for
  // constant ids.
  ASSIGN_OR_RETURN(int32_t ids, Int32Const(ctx, n, in[1], "segment_ids"));
  ASSIGN_OR_RETURN(std::vector<int64_t> v, ctx.ConstInts(ids, n.name(), "segment_ids"));
  bool steps = !v.empty() && v[0] == 0;  // TFLite's SEGMENT_SUM: 0, then +0 or +1
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 0 || (i > 0 && v[i] < v[i - 1])) {
      return ctx.NodeError(n.name(), n.op(), "segment_ids must be ascending and >= 0");
    }
    if (i > 0 && v[i] - v[i - 1] > 1) steps = false;
  }
  if (steps) {
    ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kSegmentSum, {in[0], ids}));
    return std::vector<int32_t>{out};
  }
  // Skipped segments (zeros in TensorFlow) are what UNSORTED_SEGMENT_SUM
  // gives a segment no row reaches.
  const int32_t count = ctx.ConstI32(n.name() + "/num_segments",
                                     {v.empty() ? 0 : static_cast<int32_t>(v.back() + 1)}, true);
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kUnsortedSegmentSum,
                                          {in[0], ids, count}));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs UnsortedSegment(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  ASSIGN_OR_RETURN(int32_t ids, Int32Ids(ctx, n, in[1], "segment_ids"));
  ASSIGN_OR_RETURN(int32_t count, Int32Const(ctx, n, in[2], "num_segments"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0], ids, count}));
  return std::vector<int32_t>{out};
}

// V2 / V3 extras (k, and for MatrixDiag num_rows, num_cols, padding_value)
// must describe the main diagonal of a square matrix padded with zeros.
Status MainDiagonalOnly(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in,
                        size_t first_extra) {
  static const char* kNames[] = {"k", "num_rows", "num_cols", "padding_value"};
  static const double kWant[] = {0, -1, -1, 0};
  for (size_t i = first_extra; i < in.size() && i - first_extra < 4; ++i) {
    const size_t e = i - first_extra;
    const ir::Tensor& t = ctx.tensor(in[i]);
    double v = kWant[e];
    if (t.is_constant() && t.shape.NumElements() == 1 && t.data->size() == 4) {
      int32_t i32;
      float f32;
      std::memcpy(&i32, t.data->data(), 4);
      std::memcpy(&f32, t.data->data(), 4);
      v = t.dtype == DType::kInt32 ? i32 : t.dtype == DType::kFloat32 ? f32 : kWant[e] + 1;
    } else {
      v = kWant[e] + 1;  // not a scalar constant: cannot be shown to be the default
    }
    if (v != kWant[e]) {
      return ctx.NodeError(n.name(), n.op(),
                           std::string(kNames[e]) + " must be a constant " +
                               std::to_string(static_cast<int>(kWant[e])) +
                               " (TFLite's MATRIX_DIAG / MATRIX_SET_DIAG use the main diagonal "
                               "of a square matrix only)");
    }
  }
  return Status::Ok();
}

Outs MatrixDiag(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  RETURN_IF_ERROR(MainDiagonalOnly(ctx, n, in, 1));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kMatrixDiag, {in[0]}));
  return std::vector<int32_t>{out};
}

Outs MatrixSetDiag(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  RETURN_IF_ERROR(MainDiagonalOnly(ctx, n, {in.begin(), in.begin() + std::min<size_t>(in.size(), 3)}, 2));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kMatrixSetDiag, {in[0], in[1]}));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddScanMappers(OpMapperMap& m) {
  m["Cumsum"] = Cumsum;
  m["Bucketize"] = Bucketize;
  m["ScatterNd"] = ScatterNd;
  m["SegmentSum"] = SegmentSum;
  m["UnsortedSegmentSum"] = UnsortedSegment<ir::OpKind::kUnsortedSegmentSum>;
  m["UnsortedSegmentProd"] = UnsortedSegment<ir::OpKind::kUnsortedSegmentProd>;
  m["UnsortedSegmentMax"] = UnsortedSegment<ir::OpKind::kUnsortedSegmentMax>;
  m["UnsortedSegmentMin"] = UnsortedSegment<ir::OpKind::kUnsortedSegmentMin>;
  for (const char* op : {"MatrixDiag", "MatrixDiagV2", "MatrixDiagV3"}) m[op] = MatrixDiag;
  for (const char* op : {"MatrixSetDiag", "MatrixSetDiagV2", "MatrixSetDiagV3"}) m[op] = MatrixSetDiag;
}

}  // namespace detlite::tf_import
