#include "passes/store_sparse.h"

#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/sparsity.h"

namespace detlite::passes {
namespace {

bool Eligible(const ir::Tensor& t) {
  if (!t.is_constant() || !t.sparse_hint || t.sparsity || t.is_variable || !t.has_rank ||
      t.shape.rank() == 0) {
    return false;
  }
  if (t.dtype != DType::kFloat32 && t.dtype != DType::kFloat16 && t.dtype != DType::kInt8) {
    return false;
  }
  for (int64_t z : t.quant.zero_point) {
    if (z != 0) return false;
  }
  const int64_t n = t.shape.NumElements();
  return n > 0 && t.data->size() == static_cast<size_t>(n) * DTypeSize(t.dtype);
}

// The smaller of the hint's layout and plain CSR, if either encodes.
std::optional<SparseEncoding> BestEncoding(const ir::Tensor& t) {
  std::optional<SparseEncoding> best;
  for (const SparseLayout& layout : {*t.sparse_hint, PlainCsrLayout(t.shape.rank())}) {
    auto enc = EncodeSparse(t.shape, layout, t.data->data(), DTypeSize(t.dtype));
    if (enc.ok() && (!best || enc->payload_bytes < best->payload_bytes)) best = std::move(*enc);
  }
  return best;
}

}  // namespace

Status StoreSparse::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    std::set<int32_t> boundary(sg.inputs.begin(), sg.inputs.end());
    boundary.insert(sg.outputs.begin(), sg.outputs.end());
    std::vector<ir::Operator> densify;
    const size_t count = sg.tensors.size();
    for (size_t i = 0; i < count; ++i) {
      if (!Eligible(sg.tensors[i]) || boundary.count(static_cast<int32_t>(i))) continue;
      std::optional<SparseEncoding> enc = BestEncoding(sg.tensors[i]);
      const auto dense_bytes = static_cast<int64_t>(sg.tensors[i].data->size());
      if (!enc || enc->payload_bytes + kSparseOverheadBytes >= dense_bytes) continue;
      ir::Tensor stored = sg.tensors[i];
      stored.name += "_sparse";
      stored.sparse_hint.reset();
      stored.sparsity = std::move(enc->params);
      stored.data = std::make_shared<const ir::Bytes>(std::move(enc->values));
      ir::Tensor& view = sg.tensors[i];  // consumers keep reading it, now dense at run time
      view.data = nullptr;
      view.sparse_hint.reset();
      ir::Operator op;
      op.kind = ir::OpKind::kDensify;
      op.inputs = {sg.AddTensor(std::move(stored))};
      op.outputs = {static_cast<int32_t>(i)};
      densify.push_back(std::move(op));
      ++stats_.tensors;
      stats_.dense_bytes += dense_bytes;
      stats_.sparse_bytes += enc->payload_bytes;
      ctx.log.push_back("stored '" + sg.tensors[i].name + "' sparse: " +
                        std::to_string(dense_bytes) + " -> " +
                        std::to_string(enc->payload_bytes) + " bytes");
    }
    if (densify.empty()) continue;
    // Their inputs are constants, so they can run first, before any consumer.
    sg.ops.insert(sg.ops.begin(), std::make_move_iterator(densify.begin()),
                  std::make_move_iterator(densify.end()));
    *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
