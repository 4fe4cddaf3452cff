// Op-level agreement of the elementwise kernels with the real TFLite runtime:
// a model (usually a single op) is written to a .tflite, run in TFLite
// (tests/support/tflite_oracle.h) and in detlite's interpreter on the same
// random inputs, and the outputs compared. Quantized outputs must agree
// bit for bit unless a case says otherwise; float outputs within a relative
// tolerance of the output range (XNNPACK's approximations of exp/tanh differ
// from libm in the last bits).
#ifndef DETLITE_TESTS_RUNTIME_ELEMENTWISE_ORACLE_UTIL_H_
#define DETLITE_TESTS_RUNTIME_ELEMENTWISE_ORACLE_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "exporters/tflite/tflite_writer.h"
#include "ir/graph.h"
#include "runtime/interpreter.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite::elementwise_oracle {

struct Tolerance {
  double float_relative = 1e-5;  // of the reference output's range
  int max_lsb = 0;               // quantized and integer outputs
  // Quantized elements allowed to differ (by at most max_lsb); -1: any.
  int64_t max_mismatches = -1;
};

// Random bytes for a tensor: floats uniform in [lo, hi], integers uniform
// over the type's range (or [lo, hi] when given for int32).
inline std::vector<uint8_t> RandomTensorBytes(DType dtype, int64_t n,
                                              uint32_t seed, float lo = -4.0f,
                                              float hi = 4.0f) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> out(static_cast<size_t>(n) * DTypeSize(dtype));
  auto put = [&](int64_t i, auto v) {
    std::memcpy(out.data() + i * static_cast<int64_t>(sizeof(v)), &v, sizeof(v));
  };
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
      case DType::kFloat32:
        put(i, std::uniform_real_distribution<float>(lo, hi)(rng));
        break;
      case DType::kUInt8:
        put(i, static_cast<uint8_t>(std::uniform_int_distribution<int>(0, 255)(rng)));
        break;
      case DType::kInt8:
        put(i, static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng)));
        break;
      case DType::kInt16:
        put(i, static_cast<int16_t>(
                   std::uniform_int_distribution<int>(-32768, 32767)(rng)));
        break;
      case DType::kInt32:
        put(i, static_cast<int32_t>(std::uniform_int_distribution<int>(
                   static_cast<int>(lo), static_cast<int>(hi))(rng)));
        break;
      default:
        break;
    }
  }
  return out;
}

// Random inputs for every graph input of `model` (subgraph 0).
inline std::vector<std::vector<uint8_t>> RandomInputs(const ir::Model& model,
                                                      uint32_t seed,
                                                      float lo = -4.0f,
                                                      float hi = 4.0f) {
  const ir::Subgraph& sg = model.subgraphs[0];
  std::vector<std::vector<uint8_t>> inputs;
  for (int32_t idx : sg.inputs) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(idx)];
    inputs.push_back(RandomTensorBytes(t.dtype, t.shape.NumElements(),
                                       seed++, lo, hi));
  }
  return inputs;
}

template <typename T>
int64_t CountDiffering(const std::vector<uint8_t>& a,
                       const std::vector<uint8_t>& b, int64_t* max_diff) {
  int64_t count = 0;
  *max_diff = 0;
  for (size_t i = 0; i + sizeof(T) <= a.size(); i += sizeof(T)) {
    T x, y;
    std::memcpy(&x, a.data() + i, sizeof(T));
    std::memcpy(&y, b.data() + i, sizeof(T));
    const int64_t d = std::abs(static_cast<int64_t>(x) - static_cast<int64_t>(y));
    if (d != 0) ++count;
    *max_diff = std::max(*max_diff, d);
  }
  return count;
}

// Runs `model` in both runtimes on `inputs` and checks every output.
inline void ExpectMatchesTflite(const ir::Model& model,
                                const std::vector<std::vector<uint8_t>>& inputs,
                                const std::string& label,
                                const Tolerance& tol = {}) {
  SCOPED_TRACE(label);
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  std::string file_label = label;
  for (char& c : file_label) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  const std::string path = testing::TempDir() + "/" + file_label + ".tflite";
  const Status written = WriteTfliteFile(model, path);
  ASSERT_TRUE(written.ok()) << written.ToString();
  auto oracle = testing::RunInRealTflite(path, inputs);
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();

  auto interp = runtime::Interpreter::Create(model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Status s = (*interp)->SetInput(static_cast<int>(i), inputs[i].data(),
                                         inputs[i].size());
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  const Status run = (*interp)->Invoke();
  ASSERT_TRUE(run.ok()) << run.ToString();
  ASSERT_EQ(oracle->outputs.size(), static_cast<size_t>((*interp)->num_outputs()));
  for (int o = 0; o < (*interp)->num_outputs(); ++o) {
    const runtime::TensorRef& ours = (*interp)->output(o);
    const testing::OracleTensor& theirs = oracle->outputs[static_cast<size_t>(o)];
    std::vector<int32_t> shape(theirs.shape.begin(), theirs.shape.end());
    EXPECT_EQ(ours.shape, Shape(shape)) << "output " << o;
    const std::vector<uint8_t> mine(ours.data, ours.data + ours.bytes);
    ASSERT_EQ(mine.size(), theirs.bytes.size()) << "output " << o;
    int64_t max_diff = 0, differing = 0;
    switch (ours.dtype) {
      case DType::kFloat32: {
        double max_abs = 0, lo = 1e300, hi = -1e300;
        int64_t worst = -1;
        for (size_t i = 0; i < mine.size(); i += 4) {
          float a, b;
          std::memcpy(&a, mine.data() + i, 4);
          std::memcpy(&b, theirs.bytes.data() + i, 4);
          if (std::isnan(a) && std::isnan(b)) continue;
          if (a == b) {
            lo = std::min<double>(lo, b);
            hi = std::max<double>(hi, b);
            continue;
          }
          const double d = std::fabs(static_cast<double>(a) - b);
          if (!(d <= max_abs)) {
            max_abs = d;
            worst = static_cast<int64_t>(i / 4);
          }
          lo = std::min<double>(lo, b);
          hi = std::max<double>(hi, b);
        }
        const double range = hi > lo ? hi - lo : 1.0;
        EXPECT_LE(max_abs, tol.float_relative * range)
            << "output " << o << ": max |diff| " << max_abs << " at " << worst
            << ", reference range " << range;
        continue;
      }
      case DType::kUInt8:
        differing = CountDiffering<uint8_t>(mine, theirs.bytes, &max_diff);
        break;
      case DType::kInt8:
        differing = CountDiffering<int8_t>(mine, theirs.bytes, &max_diff);
        break;
      case DType::kInt16:
        differing = CountDiffering<int16_t>(mine, theirs.bytes, &max_diff);
        break;
      case DType::kInt32:
        differing = CountDiffering<int32_t>(mine, theirs.bytes, &max_diff);
        break;
      case DType::kInt64:
        differing = CountDiffering<int64_t>(mine, theirs.bytes, &max_diff);
        break;
      default:
        ADD_FAILURE() << "no comparison for " << DTypeName(ours.dtype);
        continue;
    }
    EXPECT_LE(max_diff, tol.max_lsb)
        << "output " << o << ": " << differing << " of "
        << mine.size() / DTypeSize(ours.dtype) << " elements differ";
    if (tol.max_mismatches >= 0) {
      EXPECT_LE(differing, tol.max_mismatches) << "output " << o;
    }
  }
}

}  // namespace detlite::elementwise_oracle

#endif  // DETLITE_TESTS_RUNTIME_ELEMENTWISE_ORACLE_UTIL_H_
