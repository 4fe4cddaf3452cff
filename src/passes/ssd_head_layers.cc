#include "passes/ssd_head_layers.h"

#include <map>
#include <string>

namespace detlite::passes {
namespace {

bool MovesData(ir::OpKind k) {
  return k == ir::OpKind::kReshape || k == ir::OpKind::kSqueeze || k == ir::OpKind::kExpandDims;
}

std::string Name(const ir::Subgraph& sg, int32_t t) {
  return "'" + sg.tensors[static_cast<size_t>(t)].name + "'";
}

}  // namespace

StatusOr<std::vector<ssd::AnchorLayer>> FindAnchorLayers(const ir::Subgraph& sg,
                                                         int32_t box_tensor) {
  std::map<int32_t, const ir::Operator*> producer;
  for (const ir::Operator& op : sg.ops) {
    for (int32_t o : op.outputs) producer[o] = &op;
  }
  auto through = [&](int32_t t) {
    for (auto it = producer.find(t); it != producer.end() && MovesData(it->second->kind);
         it = producer.find(t)) {
      t = it->second->inputs.at(0);
    }
    return t;
  };
  const Shape& box_shape = sg.tensors[static_cast<size_t>(box_tensor)].shape;
  if (box_shape.rank() < 2) {
    return InvalidArgument("box tensor " + Name(sg, box_tensor) + " has shape " +
                           box_shape.ToString());
  }
  const int64_t columns = box_shape.dim(box_shape.rank() - 1);
  const int32_t joined = through(box_tensor);
  std::vector<int32_t> parts = {joined};
  auto it = producer.find(joined);
  if (it != producer.end() && it->second->kind == ir::OpKind::kConcatenation) {
    parts = it->second->inputs;
  }
  std::vector<ssd::AnchorLayer> layers;
  for (int32_t part : parts) {
    const int64_t boxes = sg.tensors[static_cast<size_t>(part)].shape.NumElements() / columns;
    const int32_t head = through(part);
    const Shape& s = sg.tensors[static_cast<size_t>(head)].shape;
    if (s.rank() != 4 || s.dim(0) != 1) {
      return InvalidArgument("box predictor output " + Name(sg, head) + " has shape " +
                             s.ToString() + ", expected a [1,H,W,C] feature map");
    }
    const int64_t cells = int64_t{s.dim(1)} * s.dim(2);
    if (cells < 1 || boxes % cells != 0 || int64_t{s.dim(3)} != boxes / cells * columns) {
      return InvalidArgument("box predictor output " + Name(sg, head) + " " + s.ToString() +
                             " does not hold whole anchors of " + std::to_string(columns) +
                             " values per cell");
    }
    ssd::AnchorLayer l;
    l.grid = {s.dim(1), s.dim(2)};
    l.per_cell = static_cast<int>(boxes / cells);
    layers.push_back(l);
  }
  return layers;
}

}  // namespace detlite::passes
