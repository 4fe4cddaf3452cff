// Finding an SSD's raw outputs and what its class scores already are.
#include <algorithm>
#include <cctype>
#include <string>

#include "passes/add_detection_postprocess.h"

namespace detlite::passes {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool HasAny(const std::string& name, std::initializer_list<const char*> words) {
  const std::string l = Lower(name);
  for (const char* w : words) {
    if (l.find(w) != std::string::npos) return true;
  }
  return false;
}

bool LooksLikeBoxes(const std::string& n) {
  return HasAny(n, {"box", "regress"}) && !HasAny(n, {"class", "score"});
}
bool LooksLikeClasses(const std::string& n) {
  return HasAny(n, {"class", "score", "logit", "conf"}) && !HasAny(n, {"box", "regress"});
}

const ir::Operator* Producer(const ir::Subgraph& sg, int32_t tensor) {
  for (const ir::Operator& op : sg.ops) {
    if (std::find(op.outputs.begin(), op.outputs.end(), tensor) != op.outputs.end()) return &op;
  }
  return nullptr;
}

ScoreKind KindOf(const ir::Subgraph& sg, int32_t tensor, int depth) {
  const ir::Operator* op = depth > 32 ? nullptr : Producer(sg, tensor);
  if (op == nullptr) return ScoreKind::kLogits;
  switch (op->kind) {
    case ir::OpKind::kLogistic: return ScoreKind::kSigmoid;
    case ir::OpKind::kSoftmax: return ScoreKind::kSoftmax;
    case ir::OpKind::kReshape:
    case ir::OpKind::kSqueeze:
    case ir::OpKind::kExpandDims:
    case ir::OpKind::kDequantize:
    case ir::OpKind::kQuantize:
      return op->inputs.empty() || op->inputs[0] < 0 ? ScoreKind::kLogits
                                                     : KindOf(sg, op->inputs[0], depth + 1);
    case ir::OpKind::kConcatenation: {
      if (op->inputs.empty()) return ScoreKind::kLogits;
      const ScoreKind first = KindOf(sg, op->inputs[0], depth + 1);
      for (int32_t in : op->inputs) {
        if (in < 0 || KindOf(sg, in, depth + 1) != first) return ScoreKind::kLogits;
      }
      return first;
    }
    default: return ScoreKind::kLogits;
  }
}

}  // namespace

const char* ScoreKindName(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::kLogits: return "logits";
    case ScoreKind::kSigmoid: return "sigmoid probabilities";
    case ScoreKind::kSoftmax: return "softmax probabilities";
  }
  return "?";
}

ScoreKind ClassScoreKind(const ir::Model& model, int32_t tensor) {
  if (model.subgraphs.empty()) return ScoreKind::kLogits;
  return KindOf(model.subgraphs[0], tensor, 0);
}

StatusOr<SsdOutputs> FindSsdOutputs(const ir::Model& model) {
  if (model.subgraphs.empty()) return InvalidArgument("the model has no subgraph");
  const ir::Subgraph& sg = model.subgraphs[0];
  std::vector<int32_t> cands;
  std::string listing;
  for (int32_t t : sg.outputs) {
    if (t < 0 || static_cast<size_t>(t) >= sg.tensors.size()) continue;
    const ir::Tensor& tensor = sg.tensors[static_cast<size_t>(t)];
    listing += (listing.empty() ? "" : ", ") + tensor.name + " " + tensor.shape.ToString();
    if (tensor.dtype == DType::kFloat32 && tensor.has_rank && tensor.shape.rank() == 3 &&
        tensor.shape.dim(0) == 1 && tensor.shape.dim(1) > 0 && tensor.shape.dim(2) > 0) {
      cands.push_back(t);
    }
  }
  if (cands.size() != 2 || sg.tensors[static_cast<size_t>(cands[0])].shape.dim(1) !=
                               sg.tensors[static_cast<size_t>(cands[1])].shape.dim(1)) {
    return InvalidArgument(
        "expected raw SSD outputs: two float32 tensors [1,N,k] with the same N (box encodings "
        "and class scores); the model's outputs are " + listing);
  }
  const ir::Tensor& a = sg.tensors[static_cast<size_t>(cands[0])];
  const ir::Tensor& b = sg.tensors[static_cast<size_t>(cands[1])];
  bool a_is_boxes = true;
  if (LooksLikeBoxes(a.name) != LooksLikeBoxes(b.name)) {
    a_is_boxes = LooksLikeBoxes(a.name);
  } else if (LooksLikeClasses(a.name) != LooksLikeClasses(b.name)) {
    a_is_boxes = LooksLikeClasses(b.name);
  } else if ((a.shape.dim(2) == 4) != (b.shape.dim(2) == 4)) {
    a_is_boxes = a.shape.dim(2) == 4;
  } else if ((a.shape.dim(2) < 4) != (b.shape.dim(2) < 4)) {
    a_is_boxes = b.shape.dim(2) < 4;
  }
  SsdOutputs out;
  out.boxes = a_is_boxes ? cands[0] : cands[1];
  out.classes = a_is_boxes ? cands[1] : cands[0];
  const ir::Tensor& boxes = sg.tensors[static_cast<size_t>(out.boxes)];
  const ir::Tensor& classes = sg.tensors[static_cast<size_t>(out.classes)];
  out.num_boxes = boxes.shape.dim(1);
  out.box_columns = boxes.shape.dim(2);
  out.class_columns = classes.shape.dim(2);
  if (out.box_columns < 4) {
    return InvalidArgument("box tensor '" + boxes.name + "' " + boxes.shape.ToString() +
                           " has fewer than 4 columns");
  }
  return out;
}

}  // namespace detlite::passes
