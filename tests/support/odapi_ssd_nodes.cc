#include "support/odapi_ssd_nodes.h"

#include <cmath>

#include "importers/tf_graph_builder.h"

namespace detlite::testing::odapi {
namespace {

void SetType(tf::NodeDef* n, const std::string& attr) {
  (*n->mutable_attr())[attr].set_type(tf::DT_FLOAT);
}

// A frozen variable: the Const freeze_graph writes in place of the
// VariableV2, read through the "<name>/read" Identity the graph kept.
std::string AddFrozenVariable(tf::GraphDef& g, const std::string& name,
                              const std::vector<int64_t>& dims,
                              const std::vector<float>& v) {
  AddFloatConst(g, name, dims, v);
  SetType(AddNode(g, name + "/read", "Identity", {name}), "T");
  return name + "/read";
}

void SetConvAttrs(tf::NodeDef* n, const FoldedConv& c) {
  SetType(n, "T");
  SetInts(n, "strides", {1, c.stride_h, c.stride_w, 1});
  SetInts(n, "dilations", {1, c.dilation_h, c.dilation_w, 1});
  (*n->mutable_attr())["padding"].set_s(c.same_padding ? "SAME" : "VALID");
  (*n->mutable_attr())["data_format"].set_s("NHWC");
}

// The TensorFlow filter (HWIO, or HWCM for depthwise) of `c`, each output
// channel o divided by scale[o] (all ones: the filter unchanged).
std::pair<std::vector<int64_t>, std::vector<float>> TfFilter(
    const FoldedConv& c, const std::vector<float>& scale) {
  const std::vector<int32_t>& s = c.filter_shape;
  std::vector<float> out(c.filter.size());
  if (c.depthwise) {
    // [1,H,W,C*M] and [H,W,C,M] have the same element order.
    const size_t channels = static_cast<size_t>(s[3]);
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = c.filter[i] / scale[i % channels];
    const int64_t m = c.depth_multiplier;
    return {{s[1], s[2], s[3] / m, m}, out};
  }
  const size_t o_n = static_cast<size_t>(s[0]), h_n = static_cast<size_t>(s[1]),
               w_n = static_cast<size_t>(s[2]), i_n = static_cast<size_t>(s[3]);
  for (size_t o = 0; o < o_n; ++o) {
    for (size_t h = 0; h < h_n; ++h) {
      for (size_t w = 0; w < w_n; ++w) {
        for (size_t i = 0; i < i_n; ++i) {
          const float v = c.filter[((o * h_n + h) * w_n + w) * i_n + i];
          out[((h * w_n + w) * i_n + i) * o_n + o] = v / scale[o];
        }
      }
    }
  }
  return {{s[1], s[2], s[3], s[0]}, out};
}

std::string AddConvOnly(tf::GraphDef& g, const std::string& scope,
                        const std::string& input, const FoldedConv& c,
                        const std::vector<float>& scale) {
  auto [dims, filter] = TfFilter(c, scale);
  const std::string op = c.depthwise ? "DepthwiseConv2dNative" : "Conv2D";
  const std::string node = scope + (c.depthwise ? "/depthwise" : "/Conv2D");
  const std::string weights = AddFrozenVariable(
      g, scope + (c.depthwise ? "/depthwise_weights" : "/weights"), dims,
      filter);
  SetConvAttrs(AddNode(g, node, op, {input, weights}), c);
  return node;
}

}  // namespace

std::string AddConvBatchNorm(tf::GraphDef& g, const std::string& scope,
                             const std::string& input, const FoldedConv& c,
                             float epsilon, std::mt19937& rng) {
  const size_t n = c.bias.size();
  std::uniform_real_distribution<float> gamma_d(0.5f, 1.5f),
      mean_d(-0.5f, 0.5f), var_d(0.2f, 1.5f);
  std::vector<float> gamma(n), beta(n), mean(n), var(n), scale(n);
  for (size_t i = 0; i < n; ++i) {
    gamma[i] = gamma_d(rng);
    mean[i] = mean_d(rng);
    var[i] = var_d(rng);
    // The fold: w' = w * scale, b' = beta - mean * scale; solve for w, beta.
    scale[i] = gamma[i] / std::sqrt(var[i] + epsilon);
    beta[i] = c.bias[i] + mean[i] * scale[i];
  }
  const std::string conv = AddConvOnly(g, scope, input, c, scale);
  const std::string bn = scope + "/BatchNorm";
  const int64_t cn = static_cast<int64_t>(n);
  tf::NodeDef* node =
      AddNode(g, bn + "/FusedBatchNormV3", "FusedBatchNormV3",
              {conv, AddFrozenVariable(g, bn + "/gamma", {cn}, gamma),
               AddFrozenVariable(g, bn + "/beta", {cn}, beta),
               AddFrozenVariable(g, bn + "/moving_mean", {cn}, mean),
               AddFrozenVariable(g, bn + "/moving_variance", {cn}, var)});
  SetType(node, "T");
  SetType(node, "U");
  (*node->mutable_attr())["epsilon"].set_f(epsilon);
  (*node->mutable_attr())["is_training"].set_b(false);
  (*node->mutable_attr())["data_format"].set_s("NHWC");
  if (!c.relu6) return node->name();
  SetType(AddNode(g, scope + "/Relu6", "Relu6", {node->name()}), "T");
  return scope + "/Relu6";
}

std::string AddConvBias(tf::GraphDef& g, const std::string& scope,
                        const std::string& input, const FoldedConv& c) {
  const std::string conv =
      AddConvOnly(g, scope, input, c, std::vector<float>(c.bias.size(), 1.0f));
  const std::string biases = AddFrozenVariable(
      g, scope + "/biases", {static_cast<int64_t>(c.bias.size())}, c.bias);
  tf::NodeDef* add = AddNode(g, scope + "/BiasAdd", "BiasAdd", {conv, biases});
  SetType(add, "T");
  (*add->mutable_attr())["data_format"].set_s("NHWC");
  return add->name();
}

std::string AddBatchReshape(tf::GraphDef& g, const std::string& name,
                            const std::string& input,
                            const std::vector<int32_t>& tail) {
  // "BoxPredictor_0/Reshape_1" -> "BoxPredictor_0/" and suffix "_1".
  const size_t slash = name.rfind('/');
  const std::string scope = name.substr(0, slash + 1);
  const std::string leaf = name.substr(slash + 1);
  const size_t us = leaf.find('_');
  const std::string suffix = us == std::string::npos ? "" : leaf.substr(us);
  const std::string shape = scope + "Shape" + suffix;
  const std::string slice = scope + "strided_slice" + suffix;
  AddNode(g, shape, "Shape", {input});
  (*g.mutable_node(g.node_size() - 1)->mutable_attr())["out_type"].set_type(
      tf::DT_INT32);
  AddIntConst(g, slice + "/stack", {1}, {0});
  AddIntConst(g, slice + "/stack_1", {1}, {1});
  AddIntConst(g, slice + "/stack_2", {1}, {1});
  tf::NodeDef* ss = AddNode(
      g, slice, "StridedSlice",
      {shape, slice + "/stack", slice + "/stack_1", slice + "/stack_2"});
  (*ss->mutable_attr())["shrink_axis_mask"].set_i(1);
  (*ss->mutable_attr())["T"].set_type(tf::DT_INT32);
  std::vector<std::string> parts = {slice};
  for (size_t i = 0; i < tail.size(); ++i) {
    const std::string c = name + "/shape/" + std::to_string(i + 1);
    AddIntConst(g, c, {}, {tail[i]});
    parts.push_back(c);
  }
  tf::NodeDef* pack = AddNode(g, name + "/shape", "Pack", parts);
  (*pack->mutable_attr())["N"].set_i(static_cast<int64_t>(parts.size()));
  (*pack->mutable_attr())["axis"].set_i(0);
  (*pack->mutable_attr())["T"].set_type(tf::DT_INT32);
  SetType(AddNode(g, name, "Reshape", {input, name + "/shape"}), "T");
  return name;
}

std::string AddConcat(tf::GraphDef& g, const std::string& name,
                      const std::vector<std::string>& inputs, int axis) {
  AddIntConst(g, name + "/axis", {}, {axis});
  std::vector<std::string> in = inputs;
  in.push_back(name + "/axis");
  tf::NodeDef* n = AddNode(g, name, "ConcatV2", in);
  (*n->mutable_attr())["N"].set_i(static_cast<int64_t>(inputs.size()));
  SetType(n, "T");
  return name;
}

std::string AddUnary(tf::GraphDef& g, const std::string& name,
                     const std::string& op, const std::string& input) {
  SetType(AddNode(g, name, op, {input}), "T");
  return name;
}

}  // namespace detlite::testing::odapi
