// The optional accuracy techniques of full-integer quantization, as the
// pipeline runs them: equalization + high-bias absorption on the float
// model before calibration, bias correction once the ops to quantize are
// known. Each records what it did in the report's actions.
#ifndef DETLITE_QUANT_PTQ_TECHNIQUES_H_
#define DETLITE_QUANT_PTQ_TECHNIQUES_H_

#include <vector>

#include "detlite/quantize.h"
#include "ir/graph.h"
#include "quant/calibrate.h"
#include "quant/pipeline.h"

#include "quant/bias_correct.h"

namespace detlite::quant {

Status RunEqualization(ir::Model& model, int num_samples, const SampleLoader& load,
                       const FullIntegerConfig& config, QuantizeReport* report);

// AdaRound of the int8 weights of the quantized conv/depthwise/FC layers:
// their float weights are replaced by the learned integer grid points, so
// the later weight quantization reproduces the learned rounding exactly.
Status RunAdaRound(ir::Model& model, const std::vector<bool>& quantized, int num_samples,
                   const SampleLoader& load, const FullIntegerConfig& config,
                   QuantizeReport* report);

// `before_adaround`: the layers' float weights before RunAdaRound (empty
// when it did not run), so the correction sees the whole rounding error.
Status RunBiasCorrection(ir::Model& model, const std::vector<bool>& quantized, int num_samples,
                         const SampleLoader& load, const FullIntegerConfig& config,
                         const WeightSnapshot& before_adaround, QuantizeReport* report);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_PTQ_TECHNIQUES_H_
