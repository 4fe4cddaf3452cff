// Registration functions of the elementwise family's files; the family's
// entry point, RegisterElementwiseOps (elementwise_ops.cc), calls each.
#ifndef DETLITE_RUNTIME_OPS_ELEMENTWISE_INTERNAL_H_
#define DETLITE_RUNTIME_OPS_ELEMENTWISE_INTERNAL_H_

#include "runtime/op_registry.h"

namespace detlite::runtime {

// ADD SUB MUL DIV MAXIMUM MINIMUM SQUARED_DIFFERENCE (elementwise_binary.cc)
void RegisterElementwiseBinaryOps(OpRegistry* r);
// RELU RELU6 RELU_N1_TO_1 RELU_0_TO_1 LEAKY_RELU PRELU HARD_SWISH LOGISTIC
// TANH ELU (elementwise_activations.cc)
void RegisterElementwiseActivationOps(OpRegistry* r);
// EXP SQRT RSQRT ABS NEG SQUARE (elementwise_unary.cc)
void RegisterElementwiseUnaryOps(OpRegistry* r);
// SOFTMAX (elementwise_softmax.cc)
void RegisterElementwiseSoftmaxOps(OpRegistry* r);
// MAX_POOL_2D AVERAGE_POOL_2D (elementwise_pool.cc)
void RegisterElementwisePoolOps(OpRegistry* r);
// MEAN SUM (elementwise_reduce.cc)
void RegisterElementwiseReduceOps(OpRegistry* r);
// EQUAL NOT_EQUAL LESS LESS_EQUAL GREATER GREATER_EQUAL FLOOR_DIV FLOOR_MOD
// (elementwise_compare.cc)
void RegisterElementwiseCompareOps(OpRegistry* r);
// LOGICAL_AND / OR / NOT, SELECT, SELECT_V2 (elementwise_logic.cc).
void RegisterElementwiseLogicOps(OpRegistry* r);
// POW, ZEROS_LIKE (elementwise_pow.cc).
void RegisterElementwisePowOps(OpRegistry* r);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_OPS_ELEMENTWISE_INTERNAL_H_
