#include "passes/tf_fuse_atrous.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "passes/tf_fusion_util.h"

namespace detlite::passes {
namespace {

// Values of a constant int32 tensor with `n` elements, or empty.
std::vector<int32_t> ConstI32(const ir::Subgraph& sg, int32_t t, size_t n) {
  if (t < 0) return {};
  const ir::Tensor& x = sg.tensors[static_cast<size_t>(t)];
  if (!x.is_constant() || x.dtype != DType::kInt32 || x.data->size() != n * 4) return {};
  std::vector<int32_t> v(n);
  std::memcpy(v.data(), x.data->data(), n * 4);
  return v;
}

struct Geometry {
  int32_t dilation[2];
  ir::Padding padding;
};

// Whether S2B paddings `pads` and B2S crops `crops` (both [2, 2]) around a
// VALID stride-1 convolution with kernel `k` (h, w) and block `d` amount to
// the dilated convolution with SAME or VALID padding.
bool MatchPadding(const std::vector<int32_t>& d, const std::vector<int32_t>& pads,
                  const std::vector<int32_t>& crops, const int32_t k[2], Geometry* g) {
  bool same = true, valid = true;
  for (int i = 0; i < 2; ++i) {
    const int32_t before = pads[2 * i] - crops[2 * i], after = pads[2 * i + 1] - crops[2 * i + 1];
    if (crops[2 * i] > pads[2 * i] || d[i] < 1) return false;
    const int32_t total = (k[i] - 1) * d[i];
    same &= before == total / 2 && after == total - total / 2;
    valid &= before == 0 && after == 0;
    g->dilation[i] = d[i];
  }
  if (!same && !valid) return false;
  g->padding = same ? ir::Padding::kSame : ir::Padding::kValid;
  return true;
}

bool FuseOne(ir::Subgraph& sg, PassContext& ctx) {
  const std::vector<int> uses = UseCounts(sg);
  for (size_t s = 0; s < sg.ops.size(); ++s) {
    const ir::Operator& s2b = sg.ops[s];
    if (s2b.kind != ir::OpKind::kSpaceToBatchNd || s2b.inputs.size() != 3) continue;
    const int c = SoleConsumer(sg, uses, s2b.outputs[0]);
    if (c < 0) continue;
    ir::Operator& conv = sg.ops[static_cast<size_t>(c)];
    auto* co = std::get_if<ir::Conv2DOptions>(&conv.options);
    auto* dw = std::get_if<ir::DepthwiseConv2DOptions>(&conv.options);
    if (conv.inputs.empty() || conv.inputs[0] != s2b.outputs[0] || (!co && !dw)) continue;
    const bool plain = co ? co->padding == ir::Padding::kValid && co->stride_h == 1 &&
                                co->stride_w == 1 && co->dilation_h == 1 && co->dilation_w == 1
                          : dw->padding == ir::Padding::kValid && dw->stride_h == 1 &&
                                dw->stride_w == 1 && dw->dilation_h == 1 && dw->dilation_w == 1;
    if (!plain) continue;
    const int b = SoleConsumer(sg, uses, conv.outputs[0]);
    if (b < 0 || sg.ops[static_cast<size_t>(b)].kind != ir::OpKind::kBatchToSpaceNd) continue;
    const ir::Operator& b2s = sg.ops[static_cast<size_t>(b)];
    const std::vector<int32_t> d = ConstI32(sg, s2b.inputs[1], 2);
    if (d.empty() || ConstI32(sg, b2s.inputs[1], 2) != d) continue;
    const std::vector<int32_t> pads = ConstI32(sg, s2b.inputs[2], 4);
    const std::vector<int32_t> crops = ConstI32(sg, b2s.inputs[2], 4);
    const Shape& w = sg.tensors[static_cast<size_t>(conv.inputs[1])].shape;
    if (pads.empty() || crops.empty() || w.rank() != 4) continue;
    const int32_t k[2] = {w.dim(1), w.dim(2)};
    Geometry g;
    if (!MatchPadding(d, pads, crops, k, &g)) continue;
    if (co) {
      co->padding = g.padding, co->dilation_h = g.dilation[0], co->dilation_w = g.dilation[1];
    } else {
      dw->padding = g.padding, dw->dilation_h = g.dilation[0], dw->dilation_w = g.dilation[1];
    }
    conv.inputs[0] = s2b.inputs[0];
    conv.outputs[0] = b2s.outputs[0];
    ctx.log.push_back("fused SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND into a convolution with dilation " +
                      std::to_string(g.dilation[0]) + "x" + std::to_string(g.dilation[1]) + " (" +
                      sg.tensors[static_cast<size_t>(conv.outputs[0])].name + ")");
    // Erase the later index first so the other stays valid.
    const size_t hi = std::max(s, static_cast<size_t>(b)), lo = std::min(s, static_cast<size_t>(b));
    sg.ops.erase(sg.ops.begin() + static_cast<std::ptrdiff_t>(hi));
    sg.ops.erase(sg.ops.begin() + static_cast<std::ptrdiff_t>(lo));
    return true;
  }
  return false;
}

}  // namespace

Status TfFuseAtrous::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    while (FuseOne(sg, ctx)) *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
