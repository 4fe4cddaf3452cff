// The kernels of the conv family, one per file (conv_2d.cc,
// conv_depthwise.cc, conv_fully_connected.cc, conv_transpose.cc; each gives
// its Prepare and kernel hooks to the shared EvalConv of conv_driver.h) and the
// matrix product BATCH_MATMUL (batch_matmul.cc), gathered
// by RegisterConvOps in conv_ops.cc.
#ifndef DETLITE_RUNTIME_OPS_CONV_KERNELS_H_
#define DETLITE_RUNTIME_OPS_CONV_KERNELS_H_

#include "runtime/kernel_api.h"

namespace detlite::runtime::conv {

OpKernel Conv2DKernel();
OpKernel DepthwiseConv2DKernel();
OpKernel FullyConnectedKernel();
OpKernel TransposeConvKernel();
OpKernel BatchMatMulKernel();  // batch_matmul.cc

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_KERNELS_H_
