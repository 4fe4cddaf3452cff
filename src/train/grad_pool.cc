// Gradients of MAX_POOL_2D, AVERAGE_POOL_2D (windows clipped to the input,
// as the forward kernels) and MEAN over constant axes.
#include <vector>

#include "kernels/reference/pooling.h"
#include "kernels/reference/reduce.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

namespace ref = kernels::reference;

StatusOr<ref::PoolParams> PoolGeometry(const OpGrad& g, const ir::Pool2DOptions& o) {
  const Shape& x = g.in_shape(0);
  const Shape& y = g.out_shape();
  if (x.rank() != 4 || y.rank() != 4) return g.Error("input and output must be 4-D");
  ref::PoolParams p;
  p.batches = x.dim(0);
  p.in_h = x.dim(1);
  p.in_w = x.dim(2);
  p.channels = x.dim(3);
  p.filter_h = o.filter_h;
  p.filter_w = o.filter_w;
  p.stride_h = o.stride_h;
  p.stride_w = o.stride_w;
  const bool same = o.padding == ir::Padding::kSame;
  ref::PoolOutputSize(same, p.in_h, p.filter_h, p.stride_h, &p.out_h, &p.pad_top);
  ref::PoolOutputSize(same, p.in_w, p.filter_w, p.stride_w, &p.out_w, &p.pad_left);
  if (p.out_h != y.dim(1) || p.out_w != y.dim(2)) return g.Error("output size disagrees with the options");
  return p;
}

template <bool kMax>
Status PoolGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(ir::Pool2DOptions o, GradOptions<ir::Pool2DOptions>(g));
  ASSIGN_OR_RETURN(ref::PoolParams p, PoolGeometry(g, o));
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        g.out[0]->NumElements(), &scratch));
  const float* x = g.x(0);
  const int64_t row = int64_t{p.in_w} * p.channels;
  ref::ForEachPoolWindow(p, [&](int64_t out, int32_t y0, int32_t y1, int32_t x0, int32_t x1,
                                int64_t base) {
    const float d = dz[out];
    if (kMax) {
      // The first maximum in window order, as the forward scan keeps it.
      int64_t best = -1;
      for (int32_t yy = y0; yy < y1; ++yy) {
        for (int32_t xx = x0; xx < x1; ++xx) {
          const int64_t i = base + yy * row + int64_t{xx} * p.channels;
          if (best < 0 || x[i] > x[best]) best = i;
        }
      }
      if (best >= 0) dx[best] += d;
    } else {
      const int64_t count = int64_t{y1 - y0} * (x1 - x0);
      if (count <= 0) return;
      const float share = d / static_cast<float>(count);
      for (int32_t yy = y0; yy < y1; ++yy) {
        for (int32_t xx = x0; xx < x1; ++xx) dx[base + yy * row + int64_t{xx} * p.channels] += share;
      }
    }
  });
  return Status::Ok();
}

// Inputs: x, axes (int32). Every input element gets dy of its output / n.
Status MeanGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  std::vector<int64_t> axes;
  RETURN_IF_ERROR(ReadIndexTensor(g, 1, &axes));
  const Shape& in = g.in_shape(0);
  std::vector<bool> reduced(static_cast<size_t>(in.rank()), false);
  for (int64_t a : axes) {
    if (a < 0) a += in.rank();
    if (a < 0 || a >= in.rank()) return g.Error("axis out of range");
    reduced[static_cast<size_t>(a)] = true;
  }
  const ref::ReduceGeometry geo = ref::MakeReduceGeometry(in, reduced);
  if (geo.reduced_count <= 0) return g.Error("reduction over an empty axis");
  const float inv = 1.0f / static_cast<float>(geo.reduced_count);
  const float* dy = g.dy();
  ref::ForEachReduction(geo, [&](int64_t i, int64_t o) { dx[i] += dy[o] * inv; });
  return Status::Ok();
}

}  // namespace

void RegisterPoolGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kMaxPool2D, PoolGrad<true>);
  r->Add(ir::OpKind::kAveragePool2D, PoolGrad<false>);
  r->Add(ir::OpKind::kMean, MeanGrad);
}

}  // namespace detlite::train
