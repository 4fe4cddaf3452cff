// Single elementwise-family ops built in code, over the types, broadcasts,
// paddings, activations and quantization parameters the kernels claim, each
// run in detlite and in the real TFLite runtime on random inputs.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "elementwise_oracle_util.h"
#include "ir/builder.h"

namespace detlite {
namespace {

using elementwise_oracle::ExpectMatchesTflite;
using elementwise_oracle::RandomInputs;
using elementwise_oracle::Tolerance;
using ir::OpKind;

struct Spec {
  DType dtype = DType::kFloat32;
  Shape shape;
  QuantParams quant;
  ir::Bytes constant;  // empty: a graph input
};

Spec S(DType dtype, Shape shape, QuantParams quant = {}) {
  return Spec{dtype, std::move(shape), std::move(quant), {}};
}

template <typename T>
Spec C(DType dtype, Shape shape, const std::vector<T>& values,
       QuantParams quant = {}) {
  ir::Bytes b(values.size() * sizeof(T));
  std::memcpy(b.data(), values.data(), b.size());
  return Spec{dtype, std::move(shape), std::move(quant), std::move(b)};
}

ir::Model OneOp(OpKind kind, const std::vector<Spec>& ins, const Spec& out,
                ir::OpOptions options = std::monostate{}) {
  ir::Model m;
  ir::Builder b(&m);
  std::vector<int32_t> idx;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Spec& s = ins[i];
    const std::string name = "in" + std::to_string(i);
    idx.push_back(s.constant.empty()
                      ? b.Input(name, s.dtype, s.shape, s.quant)
                      : b.ConstantBytes(name, s.dtype, s.shape, s.constant, s.quant));
  }
  b.Output(b.Op(kind, idx, "out", out.dtype, out.shape, std::move(options), out.quant));
  return m;
}

QuantParams Q(float scale, int64_t zp) { return ir::PerTensorQuant(scale, zp); }

// Random per-tensor parameters for an 8-bit type.
QuantParams RandomQ(DType dt, std::mt19937& rng, float lo = 0.005f, float hi = 0.2f) {
  const float scale = std::uniform_real_distribution<float>(lo, hi)(rng);
  const int zp = dt == DType::kUInt8 ? std::uniform_int_distribution<int>(0, 255)(rng)
                                     : std::uniform_int_distribution<int>(-128, 127)(rng);
  return Q(scale, zp);
}

const char* Name(DType t) { return DTypeName(t).data(); }

void Check(const ir::Model& m, const std::string& label, uint32_t seed = 1,
           Tolerance tol = {}, float lo = -4.0f, float hi = 4.0f) {
  ExpectMatchesTflite(m, RandomInputs(m, seed, lo, hi), label, tol);
}

// ---- binary ----

TEST(ElementwiseOracleOpsTest, FloatBinaryBroadcast) {
  for (OpKind k : {OpKind::kAdd, OpKind::kSub, OpKind::kMul, OpKind::kDiv,
                   OpKind::kMaximum, OpKind::kMinimum, OpKind::kSquaredDifference}) {
    const bool arith = k == OpKind::kAdd || k == OpKind::kSub || k == OpKind::kMul ||
                       k == OpKind::kDiv;
    const ir::OpOptions opts = arith ? ir::OpOptions(ir::ArithmeticOptions{})
                                     : ir::OpOptions(std::monostate{});
    Check(OneOp(k, {S(DType::kFloat32, {2, 3, 4}), S(DType::kFloat32, {3, 1})},
                S(DType::kFloat32, {2, 3, 4}), opts),
          std::string(ir::OpKindName(k)) + " float");
  }
  Check(OneOp(OpKind::kAdd, {S(DType::kFloat32, {1, 5, 5, 8}), S(DType::kFloat32, {8})},
              S(DType::kFloat32, {1, 5, 5, 8}), ir::ArithmeticOptions{ir::Activation::kRelu6}),
        "ADD float relu6");
  Check(OneOp(OpKind::kMul, {S(DType::kFloat32, {2, 1, 3, 1, 2}), S(DType::kFloat32, {3, 4, 1})},
              S(DType::kFloat32, {2, 1, 3, 4, 2}), ir::ArithmeticOptions{ir::Activation::kReluN1To1}),
        "MUL float 5d relu_n1_to_1");
  Check(OneOp(OpKind::kSub, {C(DType::kFloat32, {}, std::vector<float>{1.5f}),
                             S(DType::kFloat32, {3, 7})},
              S(DType::kFloat32, {3, 7}), ir::ArithmeticOptions{ir::Activation::kRelu}),
        "SUB float scalar relu");
}

TEST(ElementwiseOracleOpsTest, Int32Binary) {
  for (OpKind k : {OpKind::kAdd, OpKind::kSub, OpKind::kMul, OpKind::kMaximum,
                   OpKind::kMinimum, OpKind::kSquaredDifference}) {
    const bool arith = k == OpKind::kAdd || k == OpKind::kSub || k == OpKind::kMul;
    const ir::OpOptions opts = arith ? ir::OpOptions(ir::ArithmeticOptions{})
                                     : ir::OpOptions(std::monostate{});
    Check(OneOp(k, {S(DType::kInt32, {4, 5}), S(DType::kInt32, {5})}, S(DType::kInt32, {4, 5}),
                opts),
          std::string(ir::OpKindName(k)) + " int32", 3, {}, -1000, 1000);
  }
  Check(OneOp(OpKind::kDiv, {S(DType::kInt32, {4, 5}),
                             C(DType::kInt32, {5}, std::vector<int32_t>{3, -7, 1, -2, 100})},
              S(DType::kInt32, {4, 5}), ir::ArithmeticOptions{ir::Activation::kRelu}),
        "DIV int32 relu", 3, {}, -1000, 1000);
}

TEST(ElementwiseOracleOpsTest, QuantizedAddSubMul8Bit) {
  std::mt19937 rng(7);
  const ir::Activation acts[] = {ir::Activation::kNone, ir::Activation::kRelu,
                                 ir::Activation::kRelu6, ir::Activation::kReluN1To1};
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    for (OpKind k : {OpKind::kAdd, OpKind::kSub, OpKind::kMul}) {
      for (int trial = 0; trial < 4; ++trial) {
        const Shape a = trial % 2 ? Shape{2, 6, 5, 8} : Shape{4, 100};
        const Shape b = trial % 2 ? Shape{1, 1, 5, 1} : Shape{4, 100};
        const float out_lo = k == OpKind::kMul ? 0.05f : 0.01f;
        const ir::Model m = OneOp(
            k, {S(dt, a, RandomQ(dt, rng)), S(dt, b, RandomQ(dt, rng))},
            S(dt, a, RandomQ(dt, rng, out_lo, out_lo * 20)),
            ir::ArithmeticOptions{acts[trial]});
        Check(m, std::string(ir::OpKindName(k)) + " " + Name(dt) + " trial " +
                     std::to_string(trial), 100 + static_cast<uint32_t>(trial));
      }
    }
  }
}

TEST(ElementwiseOracleOpsTest, Int16AddSubMul) {
  // Power-of-two scales, zero points 0: the shift-and-saturate path.
  Check(OneOp(OpKind::kAdd, {S(DType::kInt16, {3, 50}, Q(1.0f / 1024, 0)),
                             S(DType::kInt16, {3, 50}, Q(1.0f / 4096, 0))},
              S(DType::kInt16, {3, 50}, Q(1.0f / 1024, 0)), ir::ArithmeticOptions{}),
        "ADD int16 pot");
  Check(OneOp(OpKind::kSub, {S(DType::kInt16, {3, 50}, Q(1.0f / 8192, 0)),
                             S(DType::kInt16, {3, 50}, Q(1.0f / 2048, 0))},
              S(DType::kInt16, {3, 50}, Q(1.0f / 2048, 0)), ir::ArithmeticOptions{}),
        "SUB int16 pot");
  // General scales.
  Check(OneOp(OpKind::kAdd, {S(DType::kInt16, {3, 50}, Q(0.0013f, 0)),
                             S(DType::kInt16, {50}, Q(0.0007f, 0))},
              S(DType::kInt16, {3, 50}, Q(0.0021f, 0)),
              ir::ArithmeticOptions{ir::Activation::kRelu}),
        "ADD int16 general");
  Check(OneOp(OpKind::kSub, {S(DType::kInt16, {3, 50}, Q(0.0013f, 0)),
                             S(DType::kInt16, {3, 50}, Q(0.0007f, 0))},
              S(DType::kInt16, {3, 50}, Q(0.0021f, 0)), ir::ArithmeticOptions{}),
        "SUB int16 general");
  Check(OneOp(OpKind::kMul, {S(DType::kInt16, {3, 50}, Q(0.0013f, 0)),
                             S(DType::kInt16, {3, 50}, Q(0.0007f, 0))},
              S(DType::kInt16, {3, 50}, Q(0.03f, 0)), ir::ArithmeticOptions{}),
        "MUL int16");
}

TEST(ElementwiseOracleOpsTest, QuantizedMaximumMinimumCompareRaw) {
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    std::mt19937 rng(11);
    for (OpKind k : {OpKind::kMaximum, OpKind::kMinimum}) {
      const QuantParams q = RandomQ(dt, rng);
      Check(OneOp(k, {S(dt, {2, 30}, q), S(dt, {30}, q)}, S(dt, {2, 30}, q)),
            std::string(ir::OpKindName(k)) + " " + Name(dt));
    }
  }
}

// ---- activations ----

TEST(ElementwiseOracleOpsTest, FloatActivations) {
  const Shape s{2, 7, 9};
  for (OpKind k : {OpKind::kRelu, OpKind::kRelu6, OpKind::kReluN1To1, OpKind::kLogistic,
                   OpKind::kTanh, OpKind::kElu, OpKind::kHardSwish}) {
    Check(OneOp(k, {S(DType::kFloat32, s)}, S(DType::kFloat32, s)),
          std::string(ir::OpKindName(k)) + " float", 5, {}, -8, 8);
  }
  Check(OneOp(OpKind::kLeakyRelu, {S(DType::kFloat32, s)}, S(DType::kFloat32, s),
              ir::LeakyReluOptions{0.2f}),
        "LEAKY_RELU float");
  Check(OneOp(OpKind::kPrelu, {S(DType::kFloat32, {1, 4, 4, 6}),
                               C(DType::kFloat32, {1, 1, 6},
                                 std::vector<float>{0.1f, -0.2f, 0.3f, 1.5f, 0, 0.25f})},
              S(DType::kFloat32, {1, 4, 4, 6})),
        "PRELU float const alpha");
  Check(OneOp(OpKind::kPrelu, {S(DType::kFloat32, {2, 3, 4}), S(DType::kFloat32, {3, 1})},
              S(DType::kFloat32, {2, 3, 4})),
        "PRELU float alpha input");
}

TEST(ElementwiseOracleOpsTest, QuantizedActivations) {
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    std::mt19937 rng(dt == DType::kUInt8 ? 21 : 22);
    const Shape s{4, 64};
    for (int trial = 0; trial < 3; ++trial) {
      const std::string suffix = std::string(" ") + Name(dt) + " " + std::to_string(trial);
      for (OpKind k : {OpKind::kRelu, OpKind::kRelu6, OpKind::kReluN1To1}) {
        Check(OneOp(k, {S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))},
                    S(dt, s, RandomQ(dt, rng, 0.005f, 0.05f))),
              std::string(ir::OpKindName(k)) + suffix, 30 + trial);
      }
      const int32_t sig_zp = dt == DType::kUInt8 ? 0 : -128;
      Check(OneOp(OpKind::kLogistic, {S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))},
                  S(dt, s, Q(1.0f / 256, sig_zp))),
            "LOGISTIC" + suffix, 40 + trial);
      const int32_t tanh_zp = dt == DType::kUInt8 ? 128 : 0;
      Check(OneOp(OpKind::kTanh, {S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))},
                  S(dt, s, Q(1.0f / 128, tanh_zp))),
            "TANH" + suffix, 50 + trial);
      Check(OneOp(OpKind::kLeakyRelu, {S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))},
                  S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f)), ir::LeakyReluOptions{0.1f + trial * 0.3f}),
            "LEAKY_RELU" + suffix, 60 + trial);
      Check(OneOp(OpKind::kHardSwish, {S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))},
                  S(dt, s, RandomQ(dt, rng, 0.01f, 0.1f))),
            "HARD_SWISH" + suffix, 70 + trial);
      Check(OneOp(OpKind::kPrelu, {S(dt, {2, 8, 16}, RandomQ(dt, rng, 0.01f, 0.1f)),
                                   S(dt, {16}, RandomQ(dt, rng, 0.002f, 0.01f))},
                  S(dt, {2, 8, 16}, RandomQ(dt, rng, 0.01f, 0.1f))),
            "PRELU" + suffix, 80 + trial);
    }
  }
  std::mt19937 rng(23);
  Check(OneOp(OpKind::kElu, {S(DType::kInt8, {4, 64}, RandomQ(DType::kInt8, rng, 0.01f, 0.05f))},
              S(DType::kInt8, {4, 64}, RandomQ(DType::kInt8, rng, 0.01f, 0.05f))),
        "ELU int8", 90);
}

// ---- unary math ----

TEST(ElementwiseOracleOpsTest, FloatUnaryMath) {
  const Shape s{3, 40};
  for (OpKind k : {OpKind::kExp, OpKind::kAbs, OpKind::kNeg, OpKind::kSquare}) {
    Check(OneOp(k, {S(DType::kFloat32, s)}, S(DType::kFloat32, s)),
          std::string(ir::OpKindName(k)) + " float", 9);
  }
  for (OpKind k : {OpKind::kSqrt, OpKind::kRsqrt}) {
    Check(OneOp(k, {S(DType::kFloat32, s)}, S(DType::kFloat32, s)),
          std::string(ir::OpKindName(k)) + " float", 9, {}, 0.01f, 50.0f);
  }
  Check(OneOp(OpKind::kNeg, {S(DType::kInt32, s)}, S(DType::kInt32, s)), "NEG int32", 9, {},
        -100000, 100000);
}

// ---- softmax ----

TEST(ElementwiseOracleOpsTest, Softmax) {
  Check(OneOp(OpKind::kSoftmax, {S(DType::kFloat32, {2, 3, 10})}, S(DType::kFloat32, {2, 3, 10}),
              ir::SoftmaxOptions{1.0f}),
        "SOFTMAX float", 3, {}, -10, 10);
  Check(OneOp(OpKind::kSoftmax, {S(DType::kFloat32, {4, 91})}, S(DType::kFloat32, {4, 91}),
              ir::SoftmaxOptions{0.7f}),
        "SOFTMAX float beta", 3, {}, -10, 10);
  std::mt19937 rng(31);
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    for (int trial = 0; trial < 3; ++trial) {
      Check(OneOp(OpKind::kSoftmax, {S(dt, {8, 33}, RandomQ(dt, rng, 0.02f, 0.3f))},
                  S(dt, {8, 33}, Q(1.0f / 256, dt == DType::kUInt8 ? 0 : -128)),
                  ir::SoftmaxOptions{trial == 2 ? 0.5f : 1.0f}),
            std::string("SOFTMAX ") + Name(dt) + " " + std::to_string(trial), 40 + trial);
    }
  }
}

// ---- pooling ----

ir::Pool2DOptions Pool(ir::Padding pad, int sh, int sw, int fh, int fw,
                       ir::Activation act = ir::Activation::kNone) {
  ir::Pool2DOptions o;
  o.padding = pad;
  o.stride_h = sh;
  o.stride_w = sw;
  o.filter_h = fh;
  o.filter_w = fw;
  o.activation = act;
  return o;
}

int32_t OutSize(bool same, int32_t in, int32_t f, int32_t s) {
  return same ? (in + s - 1) / s : (in - f + s) / s;
}

TEST(ElementwiseOracleOpsTest, Pooling) {
  struct Geo {
    Shape in;
    ir::Padding pad;
    int sh, sw, fh, fw;
    ir::Activation act;
  };
  const Geo geos[] = {
      {{1, 9, 7, 5}, ir::Padding::kSame, 2, 2, 3, 3, ir::Activation::kNone},
      {{2, 8, 8, 3}, ir::Padding::kValid, 2, 1, 2, 3, ir::Activation::kRelu},
      {{1, 11, 10, 4}, ir::Padding::kSame, 3, 2, 5, 4, ir::Activation::kRelu6},
      {{1, 6, 6, 16}, ir::Padding::kValid, 1, 1, 6, 6, ir::Activation::kNone},
  };
  std::mt19937 rng(41);
  int g = 0;
  for (const Geo& geo : geos) {
    const bool same = geo.pad == ir::Padding::kSame;
    const Shape out{geo.in.dim(0), OutSize(same, geo.in.dim(1), geo.fh, geo.sh),
                    OutSize(same, geo.in.dim(2), geo.fw, geo.sw), geo.in.dim(3)};
    const auto opts = Pool(geo.pad, geo.sh, geo.sw, geo.fh, geo.fw, geo.act);
    for (OpKind k : {OpKind::kMaxPool2D, OpKind::kAveragePool2D}) {
      const std::string what = std::string(ir::OpKindName(k)) + " geo " + std::to_string(g);
      Check(OneOp(k, {S(DType::kFloat32, geo.in)}, S(DType::kFloat32, out), opts),
            what + " float", 50 + g);
      for (DType dt : {DType::kUInt8, DType::kInt8}) {
        const QuantParams q = RandomQ(dt, rng, 0.01f, 0.1f);
        Check(OneOp(k, {S(dt, geo.in, q)}, S(dt, out, q), opts),
              what + " " + Name(dt), 60 + g);
      }
    }
    ++g;
  }
}

// ---- reductions ----

TEST(ElementwiseOracleOpsTest, MeanAndSum) {
  struct Red {
    Shape in;
    std::vector<int32_t> axes;
    bool keep;
  };
  const Red reds[] = {
      {{1, 7, 5, 6}, {1, 2}, true},  {{2, 7, 5, 6}, {1, 2}, false},
      {{1, 6, 5, 4}, {2}, true},     {{1, 6, 5, 4}, {3}, false},
      {{3, 4, 5}, {0, -1}, true},    {{2, 3, 4, 5}, {1}, false},
  };
  std::mt19937 rng(51);
  int i = 0;
  for (const Red& r : reds) {
    std::vector<int32_t> out_dims;
    for (int d = 0; d < r.in.rank(); ++d) {
      bool red = false;
      for (int32_t a : r.axes) red |= (a < 0 ? a + r.in.rank() : a) == d;
      if (!red) out_dims.push_back(r.in.dim(d));
      else if (r.keep) out_dims.push_back(1);
    }
    const Shape out(out_dims);
    const Spec axes = C(DType::kInt32, {static_cast<int32_t>(r.axes.size())}, r.axes);
    const std::string what = "reduce " + std::to_string(i);
    for (OpKind k : {OpKind::kMean, OpKind::kSum}) {
      Check(OneOp(k, {S(DType::kFloat32, r.in), axes}, S(DType::kFloat32, out),
                  ir::ReducerOptions{r.keep}),
            std::string(ir::OpKindName(k)) + " float " + what, 70 + i);
    }
    for (DType dt : {DType::kUInt8, DType::kInt8}) {
      const QuantParams qin = RandomQ(dt, rng, 0.01f, 0.1f);
      Check(OneOp(OpKind::kMean, {S(dt, r.in, qin), axes}, S(dt, out, qin),
                  ir::ReducerOptions{r.keep}),
            std::string("MEAN same-quant ") + Name(dt) + " " + what, 80 + i);
      Check(OneOp(OpKind::kMean, {S(dt, r.in, qin), axes},
                  S(dt, out, RandomQ(dt, rng, 0.005f, 0.05f)), ir::ReducerOptions{r.keep}),
            std::string("MEAN ") + Name(dt) + " " + what, 90 + i);
    }
    ++i;
  }
}


// ---- cases where XNNPACK's and TFLite's arithmetic part ways ----
// (the runtime uses XNNPACK's for these ops; see xnnpack_quantized.h)

template <typename T>
std::vector<std::vector<uint8_t>> AllPairs() {
  std::vector<uint8_t> a, b;
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 256; ++j) {
      a.push_back(static_cast<uint8_t>(i));
      b.push_back(static_cast<uint8_t>(j));
    }
  }
  return {a, b};
}

std::vector<std::vector<uint8_t>> AllBytes() {
  std::vector<uint8_t> a;
  for (int i = 0; i < 256; ++i) a.push_back(static_cast<uint8_t>(i));
  return {a};
}

TEST(ElementwiseOracleOpsTest, ExhaustiveQuantizedAddSubMul) {
  std::mt19937 rng(61);
  for (DType dt : {DType::kInt8, DType::kUInt8}) {
    for (OpKind k : {OpKind::kAdd, OpKind::kSub, OpKind::kMul}) {
      for (int trial = 0; trial < 4; ++trial) {
        const float out_lo = k == OpKind::kMul ? 0.2f : 0.01f;
        const ir::Model m = OneOp(
            k, {S(dt, {256, 256}, RandomQ(dt, rng, 0.01f, 0.5f)),
                S(dt, {256, 256}, RandomQ(dt, rng, 0.01f, 0.5f))},
            S(dt, {256, 256}, RandomQ(dt, rng, out_lo, out_lo * 25)),
            ir::ArithmeticOptions{trial == 3 ? ir::Activation::kRelu6
                                             : ir::Activation::kNone});
        ExpectMatchesTflite(m, AllPairs<uint8_t>(),
                            std::string(ir::OpKindName(k)) + " all pairs " + Name(dt) +
                                " " + std::to_string(trial));
      }
    }
  }
}

TEST(ElementwiseOracleOpsTest, ActivationBoundsOnHalfSteps) {
  // 6 / 4 = 1.5 steps: TFLite's kernels round it away from zero (RELU6,
  // AVERAGE_POOL_2D), XNNPACK rounds zero point + 1.5 to even (ADD, MUL,
  // MAX_POOL_2D).
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    for (int zp : {1, 2}) {
      const QuantParams q = Q(4.0f, zp);
      const std::string suffix = std::string(" ") + Name(dt) + " zp " + std::to_string(zp);
      Check(OneOp(OpKind::kRelu6, {S(dt, {1, 256}, q)}, S(dt, {1, 256}, q)),
            "RELU6 half step" + suffix);
      Check(OneOp(OpKind::kAdd, {S(dt, {1, 256}, q), S(dt, {1, 256}, q)}, S(dt, {1, 256}, q),
                  ir::ArithmeticOptions{ir::Activation::kRelu6}),
            "ADD half step" + suffix);
      Check(OneOp(OpKind::kMul, {S(dt, {1, 256}, q), S(dt, {1, 256}, q)}, S(dt, {1, 256}, q),
                  ir::ArithmeticOptions{ir::Activation::kRelu6}),
            "MUL half step" + suffix);
      for (OpKind k : {OpKind::kMaxPool2D, OpKind::kAveragePool2D}) {
        Check(OneOp(k, {S(dt, {1, 16, 16, 1}, q)}, S(dt, {1, 8, 8, 1}, q),
                    Pool(ir::Padding::kValid, 2, 2, 2, 2, ir::Activation::kRelu6)),
              std::string(ir::OpKindName(k)) + " half step" + suffix);
      }
    }
  }
}

TEST(ElementwiseOracleOpsTest, SigmoidAndEluTablesWhereFormulasDiffer) {
  // Input parameters where XNNPACK's sigmoid table differs from TFLite's in
  // one entry (found by search; the runtime agrees with XNNPACK).
  const struct {
    DType dt;
    float scale;
    int zp;
  } sig[] = {{DType::kUInt8, 0.2595839202404022f, 196},
             {DType::kUInt8, 0.02694874256849289f, 149},
             {DType::kInt8, 0.1628730744123459f, 45}};
  for (const auto& c : sig) {
    const int32_t out_zp = c.dt == DType::kUInt8 ? 0 : -128;
    ExpectMatchesTflite(OneOp(OpKind::kLogistic, {S(c.dt, {1, 256}, Q(c.scale, c.zp))},
                              S(c.dt, {1, 256}, Q(1.0f / 256, out_zp))),
                        AllBytes(), std::string("LOGISTIC table ") + Name(c.dt));
  }
  // Output scale twice the input scale puts half of the positive ELU
  // outputs on ties, which XNNPACK rounds to even.
  for (int zp : {0, 3, -7}) {
    ExpectMatchesTflite(OneOp(OpKind::kElu, {S(DType::kInt8, {1, 256}, Q(0.1f, zp))},
                              S(DType::kInt8, {1, 256}, Q(0.2f, -zp))),
                        AllBytes(), "ELU ties zp " + std::to_string(zp));
  }
}

TEST(ElementwiseOracleOpsTest, LeakyReluInAndOutOfXnnpackRange) {
  for (DType dt : {DType::kUInt8, DType::kInt8}) {
    const std::string n = Name(dt);
    // Regular: XNNPACK's 8-fractional-bit multipliers.
    ExpectMatchesTflite(OneOp(OpKind::kLeakyRelu, {S(dt, {1, 256}, Q(0.05f, 10))},
                              S(dt, {1, 256}, Q(0.03f, -3 + (dt == DType::kUInt8 ? 100 : 0))),
                              ir::LeakyReluOptions{0.3f}),
                        AllBytes(), "LEAKY_RELU " + n);
    // alpha * s_in / s_out below 2^-8: XNNPACK declines, TFLite's kernel runs.
    ExpectMatchesTflite(OneOp(OpKind::kLeakyRelu, {S(dt, {1, 256}, Q(0.05f, 10))},
                              S(dt, {1, 256}, Q(0.05f, 20)), ir::LeakyReluOptions{0.001f}),
                        AllBytes(), "LEAKY_RELU tiny alpha " + n);
    // s_in / s_out above 2^7.
    ExpectMatchesTflite(OneOp(OpKind::kLeakyRelu, {S(dt, {1, 256}, Q(1.0f, 0))},
                              S(dt, {1, 256}, Q(1.0f / 200, 0)), ir::LeakyReluOptions{0.5f}),
                        AllBytes(), "LEAKY_RELU large ratio " + n);
  }
}

}  // namespace
}  // namespace detlite
