// The conv family: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and
// TRANSPOSE_CONV in float32, uint8, int8 (per-channel) and int16x8, and
// BATCH_MATMUL (float32, int8).
#include "runtime/op_registry.h"
#include "runtime/ops/conv_kernels.h"

namespace detlite::runtime {

void RegisterConvOps(OpRegistry* r) {
  r->Add(ir::OpKind::kConv2D, conv::Conv2DKernel());
  r->Add(ir::OpKind::kDepthwiseConv2D, conv::DepthwiseConv2DKernel());
  r->Add(ir::OpKind::kFullyConnected, conv::FullyConnectedKernel());
  r->Add(ir::OpKind::kTransposeConv, conv::TransposeConvKernel());
  r->Add(ir::OpKind::kBatchMatmul, conv::BatchMatMulKernel());
}

}  // namespace detlite::runtime
