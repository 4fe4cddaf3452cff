// Channel-dependency groups and channel removal on a real model, BlazeFace
// short range (residual ADDs whose shortcut pads channels, max pools,
// depthwise convs, heads reshaped into the outputs): the walker ties what
// must be removed together, ratio 0 changes no output bit, and removing
// channels whose filters and biases were zeroed first changes the outputs
// only by float rounding (the rewiring is exact).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/prune.h"
#include "ir/verifier.h"
#include "prune/channel_groups.h"
#include "prune/channel_rewrite.h"
#include "support/paths.h"

namespace detlite {
namespace {

std::string ShortRange() {
  return testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite";
}

// Every output of `m` on face.jpg, as bytes.
std::vector<std::vector<uint8_t>> Outputs(const Model& m, bool signed_input = true) {
  auto r = Runner::Create(m);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  PreprocessOptions pre;
  if (signed_input) pre.preset = PreprocessPreset::kSigned;
  auto input = LoadInput(testing::DataPath("images/face.jpg"), r->InputInfo(0), pre);
  EXPECT_TRUE(input.ok());
  EXPECT_TRUE(r->SetInput(0, input->bytes).ok());
  EXPECT_TRUE(r->Run().ok());
  std::vector<std::vector<uint8_t>> out;
  for (int i = 0; i < r->num_outputs(); ++i) out.push_back(r->Output(i).bytes);
  return out;
}

// Sets the bytes of element `index` of constant `t` to zero (float32 or
// float16: both are all-zero bits).
void ZeroAt(ir::Subgraph& sg, int32_t t, const std::vector<size_t>& elements) {
  ir::Tensor& x = sg.tensors[static_cast<size_t>(t)];
  auto bytes = std::make_shared<ir::Bytes>(*x.data);
  const size_t e = DTypeSize(x.dtype);
  for (size_t i : elements) std::memset(bytes->data() + i * e, 0, e);
  x.data = std::move(bytes);
}

// Zeroes, for every class in `remove`, its CONV_2D filters and biases, the
// depthwise weights and biases and the per-channel ADD/SUB constants of its
// channels.
void ZeroClasses(ir::Model& m, const prune::ChannelGraph& g, const std::vector<bool>& remove) {
  ir::Subgraph& sg = m.subgraphs[0];
  const auto producer = prune::Producers(sg);
  for (const ir::Operator& op : sg.ops) {
    // Per-channel constants added to (or multiplied with) removed channels.
    if ((op.kind == ir::OpKind::kAdd || op.kind == ir::OpKind::kSub) && g.offset[static_cast<size_t>(op.outputs[0])] >= 0) {
      const int n = g.Channels(sg, op.outputs[0]);
      for (int32_t x : op.inputs) {
        if (x < 0 || !sg.tensors[static_cast<size_t>(x)].is_constant() || sg.tensors[static_cast<size_t>(x)].shape.NumElements() != n) continue;
        std::vector<size_t> ce;
        for (int c = 0; c < n; ++c) {
          if (remove[static_cast<size_t>(g.ClassOf(op.outputs[0], c))]) ce.push_back(static_cast<size_t>(c));
        }
        ZeroAt(sg, x, ce);
      }
    }
    const bool conv = op.kind == ir::OpKind::kConv2D, dw = op.kind == ir::OpKind::kDepthwiseConv2D;
    if ((!conv && !dw) || g.offset[static_cast<size_t>(op.outputs[0])] < 0) continue;
    const int32_t w = prune::ConstantBehind(sg, producer, op.inputs[1]);
    if (w < 0) continue;
    const Shape s = sg.tensors[static_cast<size_t>(w)].shape;
    const int n = g.Channels(sg, op.outputs[0]);
    std::vector<size_t> we, be;
    for (int c = 0; c < n; ++c) {
      if (!remove[static_cast<size_t>(g.ClassOf(op.outputs[0], c))]) continue;
      be.push_back(static_cast<size_t>(c));
      const size_t inner = static_cast<size_t>(s.NumElements() / s.dim(0));
      for (size_t i = 0; i < static_cast<size_t>(s.NumElements()); ++i) {
        if (conv ? i / inner == static_cast<size_t>(c) : i % static_cast<size_t>(n) == static_cast<size_t>(c)) we.push_back(i);
      }
    }
    ZeroAt(sg, w, we);
    const int32_t b = op.inputs.size() > 2 ? prune::ConstantBehind(sg, producer, op.inputs[2]) : -1;
    if (b >= 0) ZeroAt(sg, b, be);
  }
}

TEST(ChannelGroupsTest, BlazeFaceGroupsFollowResidualsPadsAndHeads) {
  auto m = Model::Load(ShortRange());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ir::Subgraph& sg = m->ir().subgraphs[0];
  const prune::ChannelGraph g = prune::BuildChannelGraph(sg, true);
  int prunable = 0, residual = 0, first = 0, head_outputs_pinned = 0;
  for (const prune::ChannelGroup& grp : g.groups) {
    if (grp.source_ops.empty()) continue;
    prunable += grp.unprunable.empty() ? 1 : 0;
    residual += grp.unprunable.empty() && grp.source_ops.size() >= 3 ? 1 : 0;
    first += grp.unprunable == "first convolution" ? 1 : 0;
  }
  // Every conv feeding a RESHAPE (the box and score heads) has every output
  // channel pinned; channels tied through ADD share one class.
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kReshape || g.offset[static_cast<size_t>(op.inputs[0])] < 0) continue;
    for (int c = 0; c < g.Channels(sg, op.inputs[0]); ++c) {
      EXPECT_TRUE(g.classes[static_cast<size_t>(g.ClassOf(op.inputs[0], c))].pinned);
    }
    ++head_outputs_pinned;
  }
  int adds = 0;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kAdd) continue;
    ++adds;
    for (int c = 0; c < g.Channels(sg, op.inputs[0]); ++c) {
      EXPECT_EQ(g.ClassOf(op.inputs[0], c), g.ClassOf(op.outputs[0], c));
      EXPECT_EQ(g.ClassOf(op.inputs[1], c), g.ClassOf(op.outputs[0], c));
    }
  }
  std::printf("[channels] short range: %zu groups, %d prunable, %d residual, %d ADDs, %d heads\n",
              g.groups.size(), prunable, residual, adds, head_outputs_pinned);
  EXPECT_GT(adds, 10);
  EXPECT_EQ(head_outputs_pinned, 4);
  EXPECT_EQ(first, 1);
  EXPECT_GT(prunable, 5);
  EXPECT_GT(residual, 0);  // a residual stream: several convs' channels summed
}

TEST(ChannelGroupsTest, RatioZeroChangesNoOutputBit) {
  auto m = Model::Load(ShortRange());
  ASSERT_TRUE(m.ok());
  const auto before = Outputs(*m);
  ChannelPruneOptions o;
  o.ratio = 0;
  auto r = PruneChannels(*m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->removed_channels, 0);
  EXPECT_EQ(r->macs_before, r->macs_after);
  EXPECT_EQ(Outputs(*m), before);
}

int64_t ConstantElements(const ir::Model& m) {
  int64_t n = 0;
  for (const ir::Tensor& t : m.subgraphs[0].tensors) n += t.is_constant() ? t.shape.NumElements() : 0;
  return n;
}

// Every third channel of each prunable group is zeroed (filters, biases,
// depthwise weights and biases), then removed: the outputs must not move.
void ExpectZeroedRemovalExact(const Model& loaded, bool signed_input) {
  ir::Model zeroed = loaded.ir();
  const prune::ChannelGraph g = prune::BuildChannelGraph(zeroed.subgraphs[0], true);
  std::vector<bool> remove(g.classes.size(), false);
  int removed = 0;
  for (const prune::ChannelGroup& grp : g.groups) {
    if (!grp.unprunable.empty() || grp.source_ops.empty()) continue;
    for (size_t i = 0; i < grp.classes.size(); i += 3) remove[static_cast<size_t>(grp.classes[i])] = true, ++removed;
  }
  ASSERT_GT(removed, 20);
  ZeroClasses(zeroed, g, remove);
  const auto reference = Outputs(Model(std::make_shared<ir::Model>(zeroed)), signed_input);
  for (bool compensate : {false, true}) {
    ir::Model pruned = zeroed;
    prune::RemoveStats stats;
    ASSERT_TRUE(prune::RemoveChannels(pruned, g, remove, compensate, &stats).ok());
    ASSERT_TRUE(ir::Verify(pruned).ok());
    EXPECT_EQ(stats.removed_classes, removed);
    EXPECT_LT(ConstantElements(pruned), ConstantElements(zeroed));
    const auto out = Outputs(Model(std::make_shared<ir::Model>(pruned)), signed_input);
    ASSERT_EQ(out.size(), reference.size());
    for (size_t i = 0; i < out.size(); ++i) {
      ASSERT_EQ(out[i].size(), reference[i].size());
      std::vector<float> a(out[i].size() / 4), b(a.size());
      std::memcpy(a.data(), out[i].data(), out[i].size());
      std::memcpy(b.data(), reference[i].data(), reference[i].size());
      const auto [lo, hi] = std::minmax_element(b.begin(), b.end());
      double worst = 0;
      for (size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::fabs(double(a[k]) - b[k]));
      std::printf("[channels] %d zeroed channels removed (compensate %d): output %zu max |diff| %.3g of range %.3g\n",
                  removed, compensate, i, worst, double(*hi - *lo));
      EXPECT_LE(worst, 1e-5 * std::max(1.0, double(*hi - *lo)));
    }
  }
}

TEST(ChannelGroupsTest, RemovingZeroedChannelsIsExact) {
  auto blazeface = Model::Load(ShortRange());
  ASSERT_TRUE(blazeface.ok());
  ExpectZeroedRemovalExact(*blazeface, true);
}

// Palm detection lite: PRELU (float16 alpha per channel, behind DEQUANTIZE),
// RESIZE_BILINEAR and channel PADs; BlazeFace full range: RELU ops.
TEST(ChannelGroupsTest, RemovingZeroedChannelsIsExactOnPalmAndFullRange) {
  for (const char* name : {"tflite/palm_detection_lite.tflite", "tflite/face_detection_full_range.tflite"}) {
    SCOPED_TRACE(name);
    auto m = Model::Load(testing::DataPath(name));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectZeroedRemovalExact(*m, true);
  }
}

TEST(ChannelGroupsTest, RemovingZeroedChannelsIsExactOnSsdlite) {
  auto ssdlite = ImportModel(testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"));
  ASSERT_TRUE(ssdlite.ok()) << ssdlite.status().ToString();
  ExpectZeroedRemovalExact(*ssdlite, false);
}

TEST(ChannelGroupsTest, BadInputIsRefused) {
  auto m = Model::Load(ShortRange());
  ASSERT_TRUE(m.ok());
  for (float ratio : {1.0f, -0.1f, 1.5f}) {
    ChannelPruneOptions o;
    o.ratio = ratio;
    auto r = PruneChannels(*m, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("ratio must be in [0, 1)"), std::string::npos) << r.status().message();
  }
  auto plain = Model::Load(testing::DataPath("tflite/half_plus_two.tflite"));
  ASSERT_TRUE(plain.ok());
  ChannelPruneOptions o;
  auto r = PruneChannels(*plain, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no channel group can be pruned"), std::string::npos) << r.status().message();
  auto quantized = Model::Load(testing::DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"));
  ASSERT_TRUE(quantized.ok());
  r = PruneChannels(*quantized, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("quantized"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace detlite
