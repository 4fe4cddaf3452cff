#include "quant/box_rows.h"

#include <algorithm>

#include "ir/detection_options.h"

namespace detlite::quant {
namespace {

int Axis(int axis, int rank) { return axis < 0 ? axis + rank : axis; }

// Walks back from the box input, giving each tensor its anchor rows.
void Trace(const ir::Subgraph& sg, int32_t start, int64_t anchors,
           std::map<int32_t, BoxRows::Rows>* out) {
  std::vector<int32_t> producer(sg.tensors.size(), -1);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t y : sg.ops[i].outputs) {
      if (y >= 0) producer[static_cast<size_t>(y)] = static_cast<int32_t>(i);
    }
  }
  std::vector<std::pair<int32_t, BoxRows::Rows>> stack = {{start, {0, anchors}}};
  while (!stack.empty()) {
    const auto [t, rows] = stack.back();
    stack.pop_back();
    const ir::Tensor& tensor = sg.tensors[static_cast<size_t>(t)];
    const int64_t n = tensor.shape.NumElements();
    if (tensor.is_constant() || n <= 0 || n % rows.count != 0 || out->count(t)) continue;
    (*out)[t] = rows;
    const int32_t p = producer[static_cast<size_t>(t)];
    if (p < 0) continue;
    const ir::Operator& op = sg.ops[static_cast<size_t>(p)];
    auto push = [&](int32_t x, BoxRows::Rows r) {
      if (x >= 0) stack.push_back({x, r});
    };
    switch (op.kind) {
      case ir::OpKind::kReshape:
      case ir::OpKind::kSqueeze:
      case ir::OpKind::kQuantize:
      case ir::OpKind::kDequantize:
        push(op.inputs[0], rows);
        break;
      case ir::OpKind::kAdd:
      case ir::OpKind::kSub:
      case ir::OpKind::kMul:
      case ir::OpKind::kDiv:
      case ir::OpKind::kMaximum:
      case ir::OpKind::kMinimum:
      case ir::OpKind::kLog:
      case ir::OpKind::kExp:
        for (int32_t x : op.inputs) push(x, rows);  // constants are skipped
        break;
      case ir::OpKind::kGather: {
        // Columns of [1, anchors, k] rows: the anchor order is kept.
        const auto* g = std::get_if<ir::GatherOptions>(&op.options);
        const Shape& s = sg.tensors[static_cast<size_t>(op.inputs[0])].shape;
        if (g && s.rank() == 3 && Axis(g->axis, 3) == 2 && s.dim(1) == rows.count) {
          push(op.inputs[0], rows);
        }
        break;
      }
      case ir::OpKind::kConcatenation: {
        const auto* c = std::get_if<ir::ConcatenationOptions>(&op.options);
        if (!c || tensor.shape.rank() != 3 || tensor.shape.dim(1) != rows.count) break;
        const int axis = Axis(c->axis, 3);
        int64_t offset = rows.offset;
        for (int32_t x : op.inputs) {
          if (x < 0) continue;
          const Shape& s = sg.tensors[static_cast<size_t>(x)].shape;
          if (s.rank() != 3) break;
          if (axis == 2) push(x, rows);
          if (axis == 1) push(x, {offset, s.dim(1)});
          offset += s.dim(1);
        }
        break;
      }
      default:
        break;  // e.g. the convolution that computes the encodings
    }
  }
}

}  // namespace

std::optional<BoxRows> FindBoxRows(const ir::Subgraph& sg) {
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kCustom || op.custom_code != "TFLite_Detection_PostProcess" ||
        op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) {
      continue;
    }
    auto params = ir::ParseDetectionOptions(op.custom_options);
    if (!params.ok()) return std::nullopt;
    const Shape& boxes = sg.tensors[static_cast<size_t>(op.inputs[0])].shape;
    const Shape& scores = sg.tensors[static_cast<size_t>(op.inputs[1])].shape;
    if (boxes.rank() != 3 || scores.rank() != 3 || boxes.dim(1) != scores.dim(1) ||
        boxes.dim(1) <= 0 || params->num_classes < 1 || scores.dim(2) < params->num_classes) {
      return std::nullopt;
    }
    BoxRows r;
    r.scores = op.inputs[1];
    r.anchors = boxes.dim(1);
    r.columns = scores.dim(2);
    r.first_class = scores.dim(2) - params->num_classes;
    r.threshold = params->nms_score_threshold;
    Trace(sg, op.inputs[0], r.anchors, &r.tensors);
    return r;
  }
  return std::nullopt;
}

std::vector<bool> PassingAnchors(const BoxRows& rows, const float* scores) {
  std::vector<bool> pass(static_cast<size_t>(rows.anchors), false);
  for (int64_t a = 0; a < rows.anchors; ++a) {
    const float* row = scores + a * rows.columns;
    pass[static_cast<size_t>(a)] =
        *std::max_element(row + rows.first_class, row + rows.columns) >= rows.threshold;
  }
  return pass;
}

std::vector<float> ValuesAtAnchors(const BoxRows& rows, int32_t t, const float* values,
                                   int64_t n, const std::vector<bool>& passing) {
  std::vector<float> out;
  const BoxRows::Rows& r = rows.tensors.at(t);
  const int64_t per_anchor = n / r.count;
  for (int64_t a = 0; a < r.count; ++a) {
    if (!passing[static_cast<size_t>(r.offset + a)]) continue;
    out.insert(out.end(), values + a * per_anchor, values + (a + 1) * per_anchor);
  }
  return out;
}

}  // namespace detlite::quant
