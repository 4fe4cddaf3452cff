// Checks the tape's gradients against central finite differences of the
// runtime's own forward pass. The loss is L = sum over the chosen outputs of
// w_i * output_i with w drawn from N(0, 1) (seeded), so every output element
// contributes with a random sign; dL/dt from Backward is compared, entry by
// entry, with (L(t + h) - L(t - h)) / 2h for sampled entries of the graph's
// float inputs and float constants (the weights and biases training will
// update).
#ifndef DETLITE_TRAIN_GRAD_CHECK_H_
#define DETLITE_TRAIN_GRAD_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::train {

struct GradCheckOptions {
  uint32_t seed = 1;
  // Entries checked: every entry of every parameter when 0, else this many,
  // each from a tensor picked uniformly then an entry picked uniformly.
  int samples = 0;
  // h = max(step * max(|value|, rms of the tensor), min_step). A float32
  // forward through a deep graph is only exact to ~1e-3 of the loss, so a
  // whole model needs a larger min_step than one op (where L is small).
  float step = 1e-3f;
  float min_step = 1e-6f;
  bool check_inputs = true;     // the graph's float inputs
  bool check_constants = true;  // float constants (weights, biases)
  // Outputs in the loss; empty = the subgraph's outputs.
  std::vector<int32_t> outputs;
};

struct GradCheckEntry {
  int32_t tensor = -1;
  int64_t index = 0;
  double analytic = 0, numeric = 0;
};

struct GradCheckReport {
  std::vector<GradCheckEntry> entries;
  double max_abs_numeric = 0;  // the scale errors are measured against
  // max over entries of |analytic - numeric| / max_abs_numeric.
  double max_error = 0;
  // The same figure for the analytic gradient negated, and shifted by one
  // entry within each tensor: how far a wrong sign or an off-by-one index
  // would land, so a test can show its tolerance separates them.
  double negated_error = 0, shifted_error = 0;
  // Cosine of the angle between the analytic and numeric vectors of all
  // checked entries (1: same direction; a sign error gives -1, a transposed
  // or shifted gradient ~0).
  double cosine = 0;
  // Set by CountWithin: entries whose analytic value is within the given
  // relative tolerance of the numeric one, and the same count for the
  // negated analytic gradient (should be ~0: sign errors do not pass).
  int within = 0, negated_within = 0;
  std::string Summary(const ir::Subgraph& sg, int worst = 3) const;
};

// Runs subgraph 0 of `model` on `inputs` (float vectors, one per input).
StatusOr<GradCheckReport> CheckGradients(const ir::Model& model,
                                         const std::vector<std::vector<float>>& inputs,
                                         const GradCheckOptions& options = {});

// Fills report.within and negated_within: |analytic - numeric| <=
// tolerance * max(|numeric|, floor * max_abs_numeric), i.e. relative per
// entry, with entries far below the largest gradient judged against a
// `floor` fraction of it (a finite difference of a float32 forward cannot
// resolve them better).
void CountWithin(double tolerance, double floor, GradCheckReport* report);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_GRAD_CHECK_H_
