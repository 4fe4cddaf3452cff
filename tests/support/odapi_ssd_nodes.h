// Node writers for odapi_ssd_generator.cc: one function per TensorFlow
// pattern the Object Detection API's exporter leaves in tflite_graph.pb.
// Each returns the name of the tensor it produces ("node" = output 0).
#ifndef DETLITE_TESTS_SUPPORT_ODAPI_SSD_NODES_H_
#define DETLITE_TESTS_SUPPORT_ODAPI_SSD_NODES_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::testing::odapi {

// A convolution as TFLite stores it: folded weights and bias.
struct FoldedConv {
  bool depthwise = false;
  std::vector<int32_t> filter_shape;  // OHWI, or [1,H,W,C*M] for depthwise
  std::vector<float> filter;
  std::vector<float> bias;  // one per output channel
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  bool same_padding = true;
  int depth_multiplier = 1;
  bool relu6 = false;
};

// Conv2D / DepthwiseConv2dNative + FusedBatchNormV3 (+ Relu6) under `scope`,
// with random batch-norm statistics that fold back to `conv`.
std::string AddConvBatchNorm(tf::GraphDef& g, const std::string& scope,
                             const std::string& input, const FoldedConv& conv,
                             float epsilon, std::mt19937& rng);

// Conv2D + BiasAdd under `scope` (box and class predictors).
std::string AddConvBias(tf::GraphDef& g, const std::string& scope,
                        const std::string& input, const FoldedConv& conv);

// Reshape(input, Pack(StridedSlice(Shape(input), [0], [1]), tail...)),
// as the box predictors build [batch, -1, ...] shapes.
std::string AddBatchReshape(tf::GraphDef& g, const std::string& name,
                            const std::string& input,
                            const std::vector<int32_t>& tail);

std::string AddConcat(tf::GraphDef& g, const std::string& name,
                      const std::vector<std::string>& inputs, int axis);
std::string AddUnary(tf::GraphDef& g, const std::string& name,
                     const std::string& op, const std::string& input);

}  // namespace detlite::testing::odapi

#endif  // DETLITE_TESTS_SUPPORT_ODAPI_SSD_NODES_H_
