#include "passes/resize_input_rules.h"

#include <cstring>

#include "ir/op_kind.h"

namespace detlite::passes::resize_rules {
namespace {

std::vector<int32_t> ReadInts(const ir::Tensor& t) {
  std::vector<int32_t> v;
  if (!t.is_constant() || t.dtype != DType::kInt32) return v;
  v.resize(t.data->size() / 4);
  std::memcpy(v.data(), t.data->data(), v.size() * 4);
  return v;
}

int64_t Product(const std::vector<int32_t>& v, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= v[i];
  return p;
}

// Splits `from` and `to` into consecutive blocks of equal products (what a
// reshape merges or splits) and gives each block of `to` the new product of
// its block of `from`: the block's one dimension above 1 takes it, or, in a
// block like [boxes, 1, 4] from [H, W, A*4], its first one does when the
// rest divides the unchanged last input dimension. False when ambiguous.
bool Rescale(const Shape& from, const Shape& now, std::vector<int32_t>* to) {
  std::vector<int32_t>& t = *to;
  const size_t n_in = static_cast<size_t>(from.rank()), n_t = t.size();
  size_t i = 0, j = 0;
  while (i < n_in || j < n_t) {
    const size_t i0 = i, j0 = j;
    int64_t pi = 1, pt = 1;
    if (i < n_in) pi *= from.dim(static_cast<int>(i++));
    if (j < n_t) pt *= t[j++];
    while (pi != pt) {
      if (pi < pt && i < n_in) {
        pi *= from.dim(static_cast<int>(i++));
      } else if (pt < pi && j < n_t) {
        pt *= t[j++];
      } else {
        return false;
      }
    }
    int64_t np = 1;
    for (size_t k = i0; k < i; ++k) np *= now.dim(static_cast<int>(k));
    if (np == pi) continue;
    std::vector<size_t> big;
    for (size_t k = j0; k < j; ++k) {
      if (t[k] > 1) big.push_back(k);
    }
    if (big.empty()) return false;
    const size_t k = big[0];
    if (big.size() > 1) {
      const int64_t rest = Product(t, k + 1, j);
      const int last = static_cast<int>(i) - 1;
      if (last < 0 || from.dim(last) != now.dim(last) || from.dim(last) % rest != 0) return false;
    }
    if ((int64_t{t[k]} * np) % pi != 0) return false;
    t[k] = static_cast<int32_t>(int64_t{t[k]} * np / pi);
  }
  return true;
}

}  // namespace

std::string OpLabel(const ir::Subgraph& sg, size_t index) {
  const ir::Operator& op = sg.ops[index];
  const std::string kind =
      op.kind == ir::OpKind::kCustom ? op.custom_code : std::string(ir::OpKindName(op.kind));
  std::string out = "op " + std::to_string(index) + " " + kind;
  if (!op.outputs.empty() && op.outputs[0] >= 0) {
    out += " '" + sg.tensors[static_cast<size_t>(op.outputs[0])].name + "'";
  }
  return out;
}

void SetIntConstant(ir::Subgraph& sg, ir::Operator& op, size_t slot,
                    const std::vector<int32_t>& values) {
  const int32_t idx = op.inputs[slot];
  int uses = 0;
  for (const ir::Operator& o : sg.ops) {
    for (int32_t in : o.inputs) uses += in == idx ? 1 : 0;
  }
  auto bytes = std::make_shared<ir::Bytes>(values.size() * 4);
  std::memcpy(bytes->data(), values.data(), values.size() * 4);
  if (uses <= 1) {
    sg.tensors[static_cast<size_t>(idx)].data = bytes;
    return;
  }
  ir::Tensor copy = sg.tensors[static_cast<size_t>(idx)];
  copy.data = bytes;
  copy.name += "/resized";
  op.inputs[slot] = sg.AddTensor(std::move(copy));
}

Status FixReshape(ir::Subgraph& sg, size_t index, const Shape& old_in, bool* rewritten) {
  *rewritten = false;
  ir::Operator& op = sg.ops[index];
  const Shape& new_in = sg.tensors[static_cast<size_t>(op.inputs[0])].shape;
  if (old_in.NumElements() == new_in.NumElements()) return Status::Ok();
  const bool from_tensor = op.inputs.size() > 1 && op.inputs[1] >= 0;
  std::vector<int32_t> target;
  if (from_tensor) {
    const ir::Tensor& s = sg.tensors[static_cast<size_t>(op.inputs[1])];
    if (!s.is_constant()) return Status::Ok();  // computed at run time
    target = ReadInts(s);
  } else if (const auto* o = std::get_if<ir::ReshapeOptions>(&op.options)) {
    target = o->new_shape;
  }
  for (int32_t d : target) {
    if (d < 0) return Status::Ok();  // the kernel infers the -1
  }
  if (!Rescale(old_in, new_in, &target)) {
    return InvalidArgument(OpLabel(sg, index) + " reshapes to the fixed shape " +
                           Shape(target).ToString() + ", which depends on the input size " +
                           "and cannot be re-inferred for " + new_in.ToString());
  }
  if (from_tensor) SetIntConstant(sg, op, 1, target);
  if (auto* o = std::get_if<ir::ReshapeOptions>(&op.options); o && !o->new_shape.empty()) {
    o->new_shape = target;
  }
  *rewritten = true;
  return Status::Ok();
}

Status FixResize(ir::Subgraph& sg, size_t index, const Shape& old_in, bool* rewritten) {
  *rewritten = false;
  ir::Operator& op = sg.ops[index];
  const Shape& new_in = sg.tensors[static_cast<size_t>(op.inputs[0])].shape;
  if (old_in == new_in || op.inputs.size() < 2) return Status::Ok();
  const ir::Tensor& size_t_ = sg.tensors[static_cast<size_t>(op.inputs[1])];
  if (!size_t_.is_constant()) return Status::Ok();
  std::vector<int32_t> size = ReadInts(size_t_);
  if (size.size() != 2 || old_in.rank() != 4) {
    return InvalidArgument(OpLabel(sg, index) + ": size is not an int32 pair");
  }
  for (int k = 0; k < 2; ++k) {
    const int64_t scaled = int64_t{size[static_cast<size_t>(k)]} * new_in.dim(1 + k);
    if (scaled % old_in.dim(1 + k) != 0) {
      return InvalidArgument(OpLabel(sg, index) + " resizes to the fixed size " +
                             std::to_string(size[0]) + "x" + std::to_string(size[1]) +
                             ", not a whole multiple of its input at the new size " +
                             new_in.ToString());
    }
    size[static_cast<size_t>(k)] = static_cast<int32_t>(scaled / old_in.dim(1 + k));
  }
  SetIntConstant(sg, op, 1, size);
  *rewritten = true;
  return Status::Ok();
}

}  // namespace detlite::passes::resize_rules
