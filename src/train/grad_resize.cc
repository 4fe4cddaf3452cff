// Gradients of RESIZE_BILINEAR (float32 as the runtime computes it: XNNPACK's
// clamped taps, see kernels/reference/resize_bilinear.h) and
// RESIZE_NEAREST_NEIGHBOR (the forward kernel run on element indices).
#include <numeric>
#include <vector>

#include "kernels/reference/resize_bilinear.h"
#include "kernels/reference/resize_nearest_neighbor.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

namespace ref = kernels::reference;

StatusOr<ref::ResizeGeometry> Geometry(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::ResizeOptions o, GradOptions<ir::ResizeOptions>(g));
  const Shape& x = g.in_shape(0);
  const Shape& y = g.out_shape();
  if (x.rank() != 4 || y.rank() != 4) return g.Error("input and output must be 4-D");
  ref::ResizeGeometry geo;
  geo.batches = x.dim(0);
  geo.in_h = x.dim(1);
  geo.in_w = x.dim(2);
  geo.depth = x.dim(3);
  geo.out_h = y.dim(1);
  geo.out_w = y.dim(2);
  geo.align_corners = o.align_corners;
  geo.half_pixel_centers = o.half_pixel_centers;
  return geo;
}

// out = top + (bottom - top) * ay, top = tl + (tr - tl) * ax (and bottom
// likewise), so each of the four taps gets its bilinear weight.
Status BilinearGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  // With a size known only at run time the runtime takes TFLite's own
  // kernel (other taps, and an averaging 2x path): not differentiated yet.
  if (g.in.size() < 2 || g.in[1] == nullptr || !g.in[1]->is_constant) {
    return Unimplemented(g.Error("the gradient needs a constant size input").message());
  }
  ASSIGN_OR_RETURN(ref::ResizeGeometry geo, Geometry(g));
  const auto ys = ref::resize_internal::XnnTaps(geo.in_h, geo.out_h, geo.align_corners,
                                                geo.half_pixel_centers);
  const auto xs = ref::resize_internal::XnnTaps(geo.in_w, geo.out_w, geo.align_corners,
                                                geo.half_pixel_centers);
  const float* dy = g.dy();
  for (int32_t b = 0; b < geo.batches; ++b) {
    float* image = dx + int64_t{b} * geo.in_h * geo.in_w * geo.depth;
    for (const auto& ty : ys) {
      for (const auto& tx : xs) {
        const int64_t d = geo.depth;
        float* tl = image + (int64_t{ty.lo} * geo.in_w + tx.lo) * d;
        float* tr = image + (int64_t{ty.lo} * geo.in_w + tx.hi) * d;
        float* bl = image + (int64_t{ty.hi} * geo.in_w + tx.lo) * d;
        float* br = image + (int64_t{ty.hi} * geo.in_w + tx.hi) * d;
        const float wy1 = ty.alpha, wy0 = 1.0f - ty.alpha;
        const float wx1 = tx.alpha, wx0 = 1.0f - tx.alpha;
        for (int64_t c = 0; c < d; ++c) {
          const float v = *dy++;
          tl[c] += v * wy0 * wx0;
          tr[c] += v * wy0 * wx1;
          bl[c] += v * wy1 * wx0;
          br[c] += v * wy1 * wx1;
        }
      }
    }
  }
  return Status::Ok();
}

Status NearestGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(ref::ResizeGeometry geo, Geometry(g));
  std::vector<int64_t> index(static_cast<size_t>(g.in[0]->NumElements()));
  std::iota(index.begin(), index.end(), int64_t{0});
  std::vector<int64_t> source(static_cast<size_t>(g.out[0]->NumElements()));
  ref::ResizeNearestNeighbor<int64_t>(geo, index.data(), source.data());
  const float* dy = g.dy();
  for (size_t i = 0; i < source.size(); ++i) dx[source[i]] += dy[i];
  return Status::Ok();
}

}  // namespace

void RegisterResizeGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kResizeBilinear, BilinearGrad);
  r->Add(ir::OpKind::kResizeNearestNeighbor, NearestGrad);
}

}  // namespace detlite::train
