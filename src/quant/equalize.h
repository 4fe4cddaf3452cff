// Cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization
// Through Weight Equalization and Bias Correction"; AIMET's CLE) on float
// weights, before quantization. For two layers joined by one tensor that
// nothing else reads, conv/depthwise -> conv/depthwise(multiplier 1) with
// no fused activation or ReLU in between, output channel i of the first is
// divided by s_i and input channel i of the second multiplied by it,
//   s_i = sqrt(r1_i * r2_i) / r2_i
// (r1_i, r2_i: the largest |weight| of those channels), so both get the
// range sqrt(r1_i * r2_i). ReLU(x / s) = ReLU(x) / s for s > 0, so the float
// function is unchanged. ReLU6 is not (its clip point would move to 6/s_i):
// such pairs are skipped, or, with `relu6_to_relu` (AIMET's documented
// choice), the ReLU6 becomes a ReLU first, which changes the float function
// wherever a value exceeded 6.
#ifndef DETLITE_QUANT_EQUALIZE_H_
#define DETLITE_QUANT_EQUALIZE_H_

#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::quant {

struct EqualizeOptions {
  bool relu6_to_relu = false;
  int max_iterations = 20;  // passes over all pairs (chains converge)
};

// A pair of ops of subgraph 0 joined by their tensor `between`.
struct EqualizePair {
  int first = 0;   // op index
  int second = 0;  // op index
  int32_t between = 0;
};

struct EqualizeStats {
  int pairs = 0;          // pairs equalized
  int relu6_skipped = 0;  // pairs left alone for their ReLU6
  int relu6_replaced = 0; // ReLU6 turned into ReLU
  int iterations = 0;
  std::vector<EqualizePair> equalized;
};

// The pairs equalization may scale (ReLU6 ones only with relu6_to_relu).
std::vector<EqualizePair> FindEqualizePairs(const ir::Subgraph& sg, bool allow_relu6,
                                            int* relu6_skipped);

Status EqualizeCrossLayer(ir::Model& model, const EqualizeOptions& options,
                          EqualizeStats* stats);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_EQUALIZE_H_
