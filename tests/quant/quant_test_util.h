// Helpers for the quantizer's tests: random float inputs, running a model
// in detlite's interpreter, and full-integer quantization from such inputs.
#ifndef DETLITE_TESTS_QUANT_QUANT_TEST_UTIL_H_
#define DETLITE_TESTS_QUANT_QUANT_TEST_UTIL_H_

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "detlite/quantize.h"
#include "ir/graph.h"
#include "quant/pipeline.h"
#include "runtime/interpreter.h"

namespace detlite::quant::testing {

// One float buffer per model input, uniform in [lo, hi].
inline std::vector<std::vector<uint8_t>> RandomInputs(const ir::Model& m, uint32_t seed,
                                                       float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<std::vector<uint8_t>> out;
  const ir::Subgraph& sg = m.subgraphs[0];
  for (int32_t x : sg.inputs) {
    const int64_t n = sg.tensors[static_cast<size_t>(x)].shape.NumElements();
    std::vector<float> v(static_cast<size_t>(n));
    for (float& f : v) f = dist(rng);
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    out.push_back(std::move(b));
  }
  return out;
}

// Runs subgraph 0 and returns output `i` as floats (dequantized if needed).
inline StatusOr<std::vector<float>> RunFloatOutput(const ir::Model& m,
                                                   const std::vector<std::vector<uint8_t>>& inputs,
                                                   int i = 0) {
  ASSIGN_OR_RETURN(auto interp, runtime::Interpreter::Create(m));
  for (int k = 0; k < interp->num_inputs(); ++k) {
    RETURN_IF_ERROR(interp->SetInput(k, inputs[static_cast<size_t>(k)].data(),
                                     inputs[static_cast<size_t>(k)].size()));
  }
  RETURN_IF_ERROR(interp->Invoke());
  const runtime::TensorRef& out = interp->output(i);
  if (out.dtype != DType::kFloat32) return InvalidArgument("output is not float32");
  return std::vector<float>(out.Data<float>(), out.Data<float>() + out.NumElements());
}

// Quantizes `m` with `samples` random calibration inputs (seeds 1..n).
inline Status QuantizeRandom(ir::Model& m, int samples, QuantizeReport* report,
                             FullIntegerConfig config = {}, float lo = -1, float hi = 1) {
  const ir::Model copy = m;
  SampleLoader load = [&copy, lo, hi](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    return RandomInputs(copy, static_cast<uint32_t>(i + 1), lo, hi);
  };
  return QuantizeFullInteger(m, samples, load, config, report);
}

}  // namespace detlite::quant::testing

#endif  // DETLITE_TESTS_QUANT_QUANT_TEST_UTIL_H_
