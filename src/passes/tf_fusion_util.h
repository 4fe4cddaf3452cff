// Helpers shared by the fusion passes that clean up imported TensorFlow
// graphs (tf_fold_batch_norm, tf_fuse_bias, tf_fuse_activation).
#ifndef DETLITE_PASSES_TF_FUSION_UTIL_H_
#define DETLITE_PASSES_TF_FUSION_UTIL_H_

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace detlite::passes {

// Number of ops reading each tensor, plus one for each subgraph output use.
std::vector<int> UseCounts(const ir::Subgraph& sg);

// Index of the op writing each tensor (-1 for none).
std::vector<int> Producers(const ir::Subgraph& sg);

// The only op reading tensor `t` (-1 if it has other readers or is an output).
int SoleConsumer(const ir::Subgraph& sg, const std::vector<int>& uses, int32_t t);

// Conv-like ops whose per-output-channel weights and bias can absorb a
// following per-channel MUL / ADD: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED.
bool IsConvLike(const ir::Operator& op);

// Float values of a constant float32 tensor that holds one value per
// channel (shape [C], [1,C], [1,1,1,C]...) or a single value broadcast to
// all `channels`; empty when it does not.
std::vector<float> PerChannelConstant(const ir::Tensor& t, int32_t channels);

// Adds a float32 constant tensor; returns its index.
int32_t AddFloatConstant(ir::Subgraph& sg, const std::string& name, Shape shape,
                         const std::vector<float>& values);

// Float values of a constant float32 tensor (empty if not one).
std::vector<float> FloatValues(const ir::Tensor& t);

// Whether the op has no fused activation (ops without the option: true).
bool NoActivation(const ir::Operator& op);

// Output channels of a conv-like op (last dim of its output), or -1.
int32_t OutputChannels(const ir::Subgraph& sg, const ir::Operator& op);

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FUSION_UTIL_H_
