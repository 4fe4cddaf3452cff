#include "detlite/dequantize.h"

#include "quant/dequantize_model.h"

namespace detlite {

StatusOr<DequantizeReport> Dequantize(Model& model) {
  quant::DequantizeStats stats;
  Status st = quant::DequantizeModel(model.mutable_ir(), &stats);
  if (!st.ok()) {
    return model.path().empty() ? st : st.WithContext(model.path());
  }
  DequantizeReport r;
  r.constants = stats.constants;
  r.activations = stats.activations;
  r.ops_removed = stats.ops_removed;
  return r;
}

}  // namespace detlite
