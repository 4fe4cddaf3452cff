// Gradients of the data-movement ops. Each forward op copies input elements
// to output positions; running the runtime's own reference kernel on the
// input's element indices (instead of its values) gives, for every output
// element, the input element it came from (-1 for padding), so the backward
// pass is one scatter-add and shares the forward's index rules exactly
// (strided-slice masks, gather batch_dims, depth-to-space layout).
#include <numeric>
#include <vector>

#include "kernels/reference/concatenation.h"
#include "kernels/reference/gather.h"
#include "kernels/reference/pad.h"
#include "kernels/reference/space_depth.h"
#include "kernels/reference/strided_slice.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

namespace ref = kernels::reference;

std::vector<int64_t> Iota(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), int64_t{0});
  return v;
}

// dx[source[i]] += dy[i] for every output element with a source.
void ScatterAdd(const std::vector<int64_t>& source, const float* dy, float* dx) {
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] >= 0) dx[source[i]] += dy[i];
  }
}

int64_t OutCount(const OpGrad& g) { return g.out[0]->NumElements(); }

// RESHAPE, SQUEEZE, EXPAND_DIMS: same elements, same order.
Status ReshapeGrad(const OpGrad& g) {
  if (float* dx = g.dx(0)) {
    const float* dy = g.dy();
    for (int64_t i = 0, n = OutCount(g); i < n; ++i) dx[i] += dy[i];
  }
  return Status::Ok();
}

Status ConcatGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::ConcatenationOptions o, GradOptions<ir::ConcatenationOptions>(g));
  const Shape& out = g.out_shape();
  const int axis = o.axis < 0 ? o.axis + out.rank() : o.axis;
  if (axis < 0 || axis >= out.rank()) return g.Error("axis out of range");
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        OutCount(g), &scratch));
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= out.dim(d);
  for (int d = axis + 1; d < out.rank(); ++d) inner *= out.dim(d);
  const int64_t out_chunk = int64_t{out.dim(axis)} * inner;
  int64_t offset = 0;  // along the axis, in elements of one outer row
  for (size_t i = 0; i < g.in.size(); ++i) {
    const int64_t chunk = int64_t{g.in[i]->shape.dim(axis)} * inner;
    if (float* dx = g.din[i]) {
      for (int64_t r = 0; r < outer; ++r) {
        const float* src = dz + r * out_chunk + offset;
        for (int64_t k = 0; k < chunk; ++k) dx[r * chunk + k] += src[k];
      }
    }
    offset += chunk;
  }
  return Status::Ok();
}

// PAD and PADV2: inputs (x, paddings [rank, 2], optional value).
Status PadGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  std::vector<int64_t> p;
  RETURN_IF_ERROR(ReadIndexTensor(g, 1, &p));
  const Shape& in = g.in_shape(0);
  if (p.size() != static_cast<size_t>(2 * in.rank())) return g.Error("paddings do not match the input rank");
  ref::PadGeometry geo;
  for (int d = 0; d < in.rank(); ++d) {
    geo.input_dims.push_back(in.dim(d));
    geo.before.push_back(p[static_cast<size_t>(2 * d)]);
    geo.after.push_back(p[static_cast<size_t>(2 * d + 1)]);
  }
  std::vector<int64_t> source(static_cast<size_t>(OutCount(g)));
  const std::vector<int64_t> index = Iota(in.NumElements());
  ref::PadConstant<int64_t>(geo, -1, index.data(), source.data());
  if (dx != nullptr) ScatterAdd(source, g.dy(), dx);
  // PADV2's pad value is a float input too: it lands on every padded slot.
  if (g.in.size() > 2 && g.in[2] != nullptr) {
    if (float* dv = g.dx(2)) {
      for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] < 0) dv[0] += g.dy()[i];
      }
    }
  }
  return Status::Ok();
}

// Inputs: x, begin, end, strides.
Status StridedSliceGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(ir::StridedSliceOptions o, GradOptions<ir::StridedSliceOptions>(g));
  ref::StridedSliceSpec spec;
  std::vector<int64_t> v[3];
  for (int i = 0; i < 3; ++i) RETURN_IF_ERROR(ReadIndexTensor(g, i + 1, &v[i]));
  spec.begin.assign(v[0].begin(), v[0].end());
  spec.end.assign(v[1].begin(), v[1].end());
  spec.strides.assign(v[2].begin(), v[2].end());
  spec.begin_mask = o.begin_mask;
  spec.end_mask = o.end_mask;
  spec.ellipsis_mask = o.ellipsis_mask;
  spec.new_axis_mask = o.new_axis_mask;
  spec.shrink_axis_mask = o.shrink_axis_mask;
  spec.offset = o.offset;
  ref::ResolvedSlice r;
  Status s = ref::ResolveStridedSlice(g.in_shape(0).dims(), spec, &r);
  if (!s.ok()) return g.Error(s.message());
  std::vector<int64_t> source(static_cast<size_t>(OutCount(g)));
  const std::vector<int64_t> index = Iota(g.in[0]->NumElements());
  ref::StridedSlice<int64_t>(r, index.data(), source.data());
  ScatterAdd(source, g.dy(), dx);
  return Status::Ok();
}

// Inputs: params, indices. Repeated indices accumulate.
Status GatherGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(ir::GatherOptions o, GradOptions<ir::GatherOptions>(g));
  std::vector<int64_t> indices;
  RETURN_IF_ERROR(ReadIndexTensor(g, 1, &indices));
  const Shape& in = g.in_shape(0);
  const Shape& pos = g.in_shape(1);
  const int axis = o.axis < 0 ? o.axis + in.rank() : o.axis;
  const int batch_dims = o.batch_dims < 0 ? o.batch_dims + pos.rank() : o.batch_dims;
  if (axis < 0 || axis >= in.rank() || batch_dims < 0 || batch_dims > axis) return g.Error("bad axis");
  ref::GatherGeometry geo;
  geo.batch = in.FlatSize(0, batch_dims);
  geo.outer = in.FlatSize(batch_dims, axis);
  geo.axis_size = in.dim(axis);
  geo.inner = in.FlatSize(axis + 1, in.rank());
  geo.coords = pos.FlatSize(batch_dims, pos.rank());
  std::vector<int64_t> source(static_cast<size_t>(OutCount(g)));
  const std::vector<int64_t> index = Iota(in.NumElements());
  if (!ref::Gather<int64_t, int64_t>(geo, index.data(), indices.data(), source.data())) {
    return g.Error("an index is out of range");
  }
  ScatterAdd(source, g.dy(), dx);
  return Status::Ok();
}

Status DepthToSpaceGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(ir::BlockSizeOptions o, GradOptions<ir::BlockSizeOptions>(g));
  const Shape& out = g.out_shape();
  if (out.rank() != 4 || o.block_size <= 0) return g.Error("needs a 4-D output and a block size");
  ref::SpaceDepthGeometry geo{out.dim(0), out.dim(1), out.dim(2), out.dim(3), o.block_size};
  std::vector<int64_t> source(static_cast<size_t>(OutCount(g)));
  const std::vector<int64_t> index = Iota(g.in[0]->NumElements());
  ref::SpaceDepth<int64_t>(geo, /*to_depth=*/false, index.data(), source.data());
  ScatterAdd(source, g.dy(), dx);
  return Status::Ok();
}

}  // namespace

void RegisterShapeGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kReshape, ReshapeGrad);
  r->Add(ir::OpKind::kSqueeze, ReshapeGrad);
  r->Add(ir::OpKind::kExpandDims, ReshapeGrad);
  r->Add(ir::OpKind::kConcatenation, ConcatGrad);
  r->Add(ir::OpKind::kPad, PadGrad);
  r->Add(ir::OpKind::kPadv2, PadGrad);
  r->Add(ir::OpKind::kStridedSlice, StridedSliceGrad);
  r->Add(ir::OpKind::kGather, GatherGrad);
  r->Add(ir::OpKind::kDepthToSpace, DepthToSpaceGrad);
}

}  // namespace detlite::train
