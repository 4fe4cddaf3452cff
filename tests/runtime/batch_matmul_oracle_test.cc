// BATCH_MATMUL against the real TFLite runtime: one-op models over adj_x,
// adj_y, ranks 2 to 4, broadcast batch dimensions (including YOLO11n's
// attention shapes, where [1,2,...] meets [400,2,...]) and a constant rhs,
// on random inputs. Float within 1e-5 of the output range, int8 bit-exact.
// The declared output shapes are written from the op's definition, so the
// test also checks detlite's shape rule against TFLite's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "elementwise_oracle_util.h"
#include "ir/builder.h"

namespace detlite {
namespace {

using elementwise_oracle::ExpectMatchesTflite;
using elementwise_oracle::RandomTensorBytes;

struct Case {
  std::string name;
  Shape lhs, rhs, out;
  bool adj_x = false, adj_y = false;
  bool constant_rhs = false;
};

// int8 quantization with zero points off 0 (as YOLO11n's are) and an output
// scale that spreads the products over many steps without saturating.
struct Int8Params {
  float lhs_s = 0.06f, rhs_s = 0.04f;
  int64_t lhs_zp = -3, rhs_zp = 7, out_zp = -11;
};

ir::Model Build(const Case& c, DType dtype, int32_t depth,
                std::vector<std::vector<uint8_t>>* inputs, uint32_t seed) {
  ir::Model m;
  ir::Builder b(&m);
  const bool q = dtype == DType::kInt8;
  const Int8Params p;
  // Uniform int8 values have a standard deviation of about 74.
  const double acc_std = 74.0 * 74.0 * std::sqrt(static_cast<double>(depth));
  const float out_s = static_cast<float>(p.lhs_s * p.rhs_s * acc_std / 40.0);
  const QuantParams lq = q ? ir::PerTensorQuant(p.lhs_s, p.lhs_zp) : QuantParams{};
  const QuantParams rq = q ? ir::PerTensorQuant(p.rhs_s, p.rhs_zp) : QuantParams{};
  const QuantParams oq = q ? ir::PerTensorQuant(out_s, p.out_zp) : QuantParams{};
  const int32_t lhs = b.Input("lhs", dtype, c.lhs, lq);
  inputs->push_back(RandomTensorBytes(dtype, c.lhs.NumElements(), seed, -1, 1));
  auto rhs_bytes =
      RandomTensorBytes(dtype, c.rhs.NumElements(), seed + 1, -1, 1);
  int32_t rhs = -1;
  if (c.constant_rhs) {
    rhs = b.ConstantBytes("rhs", dtype, c.rhs, std::move(rhs_bytes), rq);
  } else {
    rhs = b.Input("rhs", dtype, c.rhs, rq);
    inputs->push_back(std::move(rhs_bytes));
  }
  b.Output(b.Op(ir::OpKind::kBatchMatmul, {lhs, rhs}, "out", dtype, c.out,
                ir::BatchMatMulOptions{c.adj_x, c.adj_y, false}, oq));
  return m;
}

int32_t Depth(const Case& c) {
  const int r = c.lhs.rank();
  return c.lhs.dim(c.adj_x ? r - 2 : r - 1);
}

std::vector<Case> Cases() {
  return {
      {"plain", {2, 3, 20, 16}, {2, 3, 16, 24}, {2, 3, 20, 24}},
      {"adj_x", {3, 16, 20}, {3, 16, 24}, {3, 20, 24}, true},
      {"adj_y", {3, 20, 16}, {3, 24, 16}, {3, 20, 24}, false, true},
      {"adj_both", {2, 16, 20}, {2, 24, 16}, {2, 20, 24}, true, true},
      {"rank2", {20, 48}, {48, 24}, {20, 24}},
      {"rank_mismatch", {2, 3, 20, 16}, {16, 24}, {2, 3, 20, 24}},
      {"broadcast", {1, 2, 20, 16}, {3, 1, 16, 24}, {3, 2, 20, 24}},
      // YOLO11n's first attention product, scaled down from 400 positions.
      {"yolo_adj_x", {1, 2, 32, 40}, {40, 2, 32, 1}, {40, 2, 40, 1}, true},
      {"yolo_adj_y", {1, 2, 64, 40}, {1, 2, 40, 40}, {1, 2, 64, 40}, false,
       true},
      {"constant_rhs", {2, 20, 16}, {16, 24}, {2, 20, 24}, false, false, true},
  };
}

void RunAll(DType dtype, uint32_t seed) {
  for (const Case& c : Cases()) {
    std::vector<std::vector<uint8_t>> inputs;
    ir::Model m = Build(c, dtype, Depth(c), &inputs, seed);
    seed += 2;
    ExpectMatchesTflite(
        m, inputs, "batch_matmul_" + std::string(DTypeName(dtype)) + "_" + c.name);
  }
}

TEST(BatchMatMulOracleTest, Float) { RunAll(DType::kFloat32, 10); }

TEST(BatchMatMulOracleTest, Int8) { RunAll(DType::kInt8, 50); }

}  // namespace
}  // namespace detlite
