// Gradients of FULLY_CONNECTED and BATCH_MATMUL. The FC products run on
// Eigen (dx = dz W, dW = dz^T x), the batched ones as plain loops over the
// reference kernel's batch walk (broadcast batches accumulate naturally:
// their offsets repeat).
#include <Eigen/Core>

#include <vector>

#include "kernels/reference/batch_matmul.h"
#include "kernels/reference/broadcast.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

// Inputs: x [..., in], weights [units, in], optional bias [units].
Status FullyConnectedGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::FullyConnectedOptions o, GradOptions<ir::FullyConnectedOptions>(g));
  const Shape& ws = g.in_shape(1);
  if (ws.rank() != 2) return g.Error("weights must be 2-D");
  const int64_t units = ws.dim(0), depth = ws.dim(1);
  const int64_t rows = depth > 0 ? g.in[0]->NumElements() / depth : 0;
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        g.out[0]->NumElements(), &scratch));
  ConstMap dzm(dz, rows, units), x(g.x(0), rows, depth), w(g.x(1), units, depth);
  if (float* dx = g.dx(0)) Map(dx, rows, depth).noalias() += dzm * w;
  if (float* dw = g.dx(1)) Map(dw, units, depth).noalias() += dzm.transpose() * x;
  if (g.in.size() > 2 && g.in[2] != nullptr) {
    if (float* db = g.dx(2)) Eigen::Map<Eigen::RowVectorXf>(db, units) += dzm.colwise().sum();
  }
  return Status::Ok();
}

Status BatchMatMulGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::BatchMatMulOptions o, GradOptions<ir::BatchMatMulOptions>(g));
  const Shape& ls = g.in_shape(0);
  const Shape& rs = g.in_shape(1);
  const int lr = ls.rank(), rr = rs.rank();
  if (lr < 2 || rr < 2) return g.Error("operands must have rank >= 2");
  namespace ref = kernels::reference;
  ref::BatchMatMulShape s;
  s.adj_x = o.adj_x;
  s.adj_y = o.adj_y;
  s.rows = ls.dim(s.adj_x ? lr - 1 : lr - 2);
  s.depth = ls.dim(s.adj_x ? lr - 2 : lr - 1);
  s.cols = rs.dim(s.adj_y ? rr - 2 : rr - 1);
  const Shape lb(std::vector<int32_t>(ls.dims().begin(), ls.dims().end() - 2));
  const Shape rb(std::vector<int32_t>(rs.dims().begin(), rs.dims().end() - 2));
  Shape batch;
  if (!ref::BroadcastShapes(lb, rb, &batch)) return g.Error("batch dimensions do not broadcast");
  s.batch_dims = batch.dims();
  s.lhs_batch_stride = ref::BroadcastStrides(lb, batch);
  s.rhs_batch_stride = ref::BroadcastStrides(rb, batch);
  for (int64_t& v : s.lhs_batch_stride) v *= int64_t{s.rows} * s.depth;
  for (int64_t& v : s.rhs_batch_stride) v *= int64_t{s.depth} * s.cols;
  const float* lhs = g.x(0);
  const float* rhs = g.x(1);
  const float* dout = g.dy();
  float* dl = g.dx(0);
  float* dr = g.dx(1);
  ref::ForEachBatch(s, [&](int64_t lo, int64_t ro, int64_t oo) {
    for (int i = 0; i < s.rows; ++i) {
      for (int j = 0; j < s.cols; ++j) {
        const float d = dout[oo + int64_t{i} * s.cols + j];
        for (int k = 0; k < s.depth; ++k) {
          if (dl != nullptr) dl[lo + ref::LhsIndex(s, i, k)] += d * rhs[ro + ref::RhsIndex(s, k, j)];
          if (dr != nullptr) dr[ro + ref::RhsIndex(s, k, j)] += d * lhs[lo + ref::LhsIndex(s, i, k)];
        }
      }
    }
  });
  return Status::Ok();
}

}  // namespace

void RegisterMatMulGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kFullyConnected, FullyConnectedGrad);
  r->Add(ir::OpKind::kBatchMatmul, BatchMatMulGrad);
}

}  // namespace detlite::train
