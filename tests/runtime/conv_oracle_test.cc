// The conv family against the real TFLite runtime, one op at a time: each
// case builds a one-op model (plus a DEQUANTIZE for fp16 weights), runs it
// in detlite's interpreter and, written as .tflite, in TFLite (WebAssembly,
// with XNNPACK), on deterministic random data. Float results must agree
// within 1e-5 of the output's range, quantized results exactly: these cases
// are what established which requantization each op gets (see
// kernels/reference/requantize.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "exporters/tflite/tflite_writer.h"
#include "ir/builder.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using ir::OpKind;

struct Spec {
  std::string name;
  OpKind kind = OpKind::kConv2D;
  DType dtype = DType::kFloat32;
  Shape input;
  Shape filter;
  ir::OpOptions options;
  bool bias = true;
  bool per_channel = true;       // int8 / int16 filters
  bool runtime_weights = false;  // the filter is a model input
  bool fp16_weights = false;     // float filter made by DEQUANTIZE from fp16
  Shape output_shape;            // TRANSPOSE_CONV only
  // Power-of-two scales and small values, so that many results land exactly
  // halfway between two steps and every way of rounding gives a different
  // answer somewhere.
  bool ties = false;
  int filter_quantized_dimension = -1;  // override, for per-tensor filters
};

// Channels the filter's scales run along, and how many there are.
int FilterChannelAxis(const Spec& s) {
  return s.kind == OpKind::kDepthwiseConv2D ? 3 : 0;
}

uint16_t FloatToHalf(float f) {  // values here are normal and small
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const int32_t exp = static_cast<int32_t>((bits >> 23) & 0xFF) - 127 + 15;
  if (exp <= 0) return static_cast<uint16_t>(sign);
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exp) << 10) |
                               ((bits >> 13) & 0x3FFu));
}

template <typename T>
std::vector<uint8_t> RandomBytes(size_t n, int64_t lo, int64_t hi,
                                 std::mt19937* rng) {
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<uint8_t> bytes(n * sizeof(T));
  for (size_t i = 0; i < n; ++i) {
    const T v = static_cast<T>(dist(*rng));
    std::memcpy(bytes.data() + i * sizeof(T), &v, sizeof(T));
  }
  return bytes;
}

std::vector<uint8_t> RandomFloatBytes(size_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<uint8_t> bytes(n * 4);
  for (size_t i = 0; i < n; ++i) {
    const float v = dist(*rng);
    std::memcpy(bytes.data() + i * 4, &v, 4);
  }
  return bytes;
}

struct Built {
  ir::Model model;
  int32_t output = -1;
  std::vector<std::vector<uint8_t>> inputs;  // one per model input, in order
};

// Quantization chosen so outputs spread over many steps without saturating:
// the output scale follows the accumulator's spread over the window.
Built Build(const Spec& s, uint32_t seed) {
  std::mt19937 rng(seed);
  Built out;
  ir::Builder b(&out.model);
  const bool quantized = s.dtype != DType::kFloat32;
  const bool u8 = s.dtype == DType::kUInt8, i16 = s.dtype == DType::kInt16;
  const DType filter_dtype =
      quantized ? (u8 ? DType::kUInt8 : DType::kInt8) : DType::kFloat32;
  const int axis = FilterChannelAxis(s);
  const int channels = s.filter.dim(axis);
  const int64_t taps = s.kind == OpKind::kDepthwiseConv2D
                           ? int64_t{s.filter.dim(1)} * s.filter.dim(2)
                           : s.filter.NumElements() / channels;

  const float in_s = s.ties ? 0.5f : (i16 ? 4.0f / 32767 : 0.05f);
  const int32_t in_zp = u8 ? 117 : (i16 ? 0 : -3);
  const float f_s = s.ties ? 0.5f : 0.01f;
  const int32_t f_zp = u8 ? 140 : 0;
  // Values are drawn from [zp - spread, zp + spread]; the output scale
  // follows the accumulator's spread over the window.
  const int64_t value_spread = s.ties ? 8 : 127;
  const double act_spread =
      i16 ? 18918.0 : (s.ties ? 4.9 : 74.0);  // std of the values
  const double acc_spread =
      act_spread * (s.ties ? 4.9 : 74.0) * std::sqrt(static_cast<double>(taps));
  const float out_s =
      s.ties
          ? 8.0f
          : static_cast<float>(in_s * f_s * acc_spread / (i16 ? 8000.0 : 40.0));
  const int32_t out_zp = u8 ? 131 : (i16 ? 0 : 5);

  std::vector<float> f_scales(static_cast<size_t>(channels), f_s);
  if (s.per_channel && quantized && !u8) {
    for (int c = 0; c < channels; ++c)
      f_scales[static_cast<size_t>(c)] =
          f_s * (0.5f + 0.25f * static_cast<float>(c % 4));
  }
  QuantParams in_q, f_q, b_q, out_q;
  if (quantized) {
    in_q = ir::PerTensorQuant(in_s, in_zp);
    out_q = ir::PerTensorQuant(out_s, out_zp);
    if (s.per_channel && !u8) {
      f_q.scale = f_scales;
      f_q.zero_point.assign(f_scales.size(), 0);
      f_q.quantized_dimension = axis;
      for (float fs : f_scales) b_q.scale.push_back(in_s * fs);
      b_q.zero_point.assign(f_scales.size(), 0);
    } else {
      f_q = ir::PerTensorQuant(f_s, f_zp);
      b_q = ir::PerTensorQuant(in_s * f_s, 0);
    }
    if (s.filter_quantized_dimension >= 0)
      f_q.quantized_dimension = s.filter_quantized_dimension;
  }
  auto values = [&](size_t n, int64_t zp, bool filter) {
    const int64_t lo = filter && !u8 ? -127 : (u8 ? 0 : -128),
                  hi = u8 ? 255 : 127;
    const int64_t a = std::max(lo, zp - value_spread),
                  b2 = std::min(hi, zp + value_spread);
    if (u8) return RandomBytes<uint8_t>(n, a, b2, &rng);
    return RandomBytes<int8_t>(n, a, b2, &rng);
  };

  std::vector<int32_t> op_inputs;
  int32_t shape_tensor = -1;
  if (s.kind == OpKind::kTransposeConv) {
    shape_tensor = b.ConstantI32("output_shape", {4}, s.output_shape.dims());
  }
  const int32_t x = b.Input("x", s.dtype, s.input, in_q);
  const size_t in_n = static_cast<size_t>(s.input.NumElements());
  if (!quantized) {
    out.inputs.push_back(RandomFloatBytes(in_n, &rng));
  } else if (i16) {
    out.inputs.push_back(RandomBytes<int16_t>(in_n, -32768, 32767, &rng));
  } else {
    out.inputs.push_back(values(in_n, in_zp, false));
  }

  const size_t f_n = static_cast<size_t>(s.filter.NumElements());
  std::vector<uint8_t> f_bytes =
      quantized ? values(f_n, f_zp, true) : RandomFloatBytes(f_n, &rng);
  int32_t f = -1;
  if (s.runtime_weights) {
    f = b.Input("w", filter_dtype, s.filter, f_q);
    out.inputs.push_back(std::move(f_bytes));
  } else if (s.fp16_weights) {
    std::vector<uint16_t> half(f_n);
    for (size_t i = 0; i < f_n; ++i) {
      float v;
      std::memcpy(&v, f_bytes.data() + i * 4, 4);
      half[i] = FloatToHalf(v);
    }
    const int32_t h =
        b.Constant<uint16_t>("w_fp16", s.filter, half, DType::kFloat16);
    f = b.Op(OpKind::kDequantize, {h}, "w", DType::kFloat32, s.filter);
  } else {
    f = b.ConstantBytes("w", filter_dtype, s.filter, std::move(f_bytes), f_q);
  }

  int32_t bias = -1;
  if (s.bias) {
    const size_t n = static_cast<size_t>(channels);
    const auto bound = static_cast<int64_t>(acc_spread);
    if (!quantized) {
      bias = b.ConstantBytes("b", DType::kFloat32, {channels},
                             RandomFloatBytes(n, &rng));
    } else if (i16) {
      bias = b.ConstantBytes("b", DType::kInt64, {channels},
                             RandomBytes<int64_t>(n, -bound, bound, &rng), b_q);
    } else {
      bias = b.ConstantBytes("b", DType::kInt32, {channels},
                             RandomBytes<int32_t>(n, -bound, bound, &rng), b_q);
    }
  }
  if (s.kind == OpKind::kTransposeConv) {
    op_inputs = {shape_tensor, f, x};
    if (s.bias) op_inputs.push_back(bias);
  } else {
    op_inputs = {x, f, bias};
  }
  out.output = b.Op(s.kind, op_inputs, "y", s.dtype, {}, s.options, out_q);
  b.Output(out.output);
  return out;
}

void RunCase(const Spec& s, uint32_t seed) {
  SCOPED_TRACE(s.name);
  Built built = Build(s, seed);
  auto interp = runtime::Interpreter::Create(built.model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  for (size_t i = 0; i < built.inputs.size(); ++i) {
    ASSERT_TRUE((*interp)
                    ->SetInput(static_cast<int>(i), built.inputs[i].data(),
                               built.inputs[i].size())
                    .ok());
  }
  ASSERT_TRUE((*interp)->Invoke().ok());
  const runtime::TensorRef& y = (*interp)->output(0);
  std::vector<uint8_t> ours(y.data, y.data + y.bytes);

  // The written model declares the output shape Prepare computed.
  built.model.subgraphs[0].tensors[static_cast<size_t>(built.output)].shape =
      y.shape;
  const std::string path =
      testing::TempDir() + "/conv_oracle_" + s.name + ".tflite";
  Status written = WriteTfliteFile(built.model, path);
  ASSERT_TRUE(written.ok()) << written.ToString();
  auto oracle = testing::RunInRealTflite(path, built.inputs);
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  ASSERT_EQ(oracle->outputs.size(), 1u);
  const testing::OracleTensor& ref = oracle->outputs[0];
  EXPECT_EQ(ref.shape,
            std::vector<int>(y.shape.dims().begin(), y.shape.dims().end()));
  const std::string dtype(DTypeName(s.dtype));
  const testing::Diff d = testing::CompareBuffers(dtype, ours, ref.bytes);
  ASSERT_GT(d.count, 0) << d.ToString();
  if (s.dtype == DType::kFloat32) {
    EXPECT_LE(d.relative, 1e-5) << d.ToString();
  } else {
    EXPECT_EQ(d.max_abs, 0) << d.ToString();
    // (Tie cases use a coarse output scale: a fused RELU6 leaves few steps.)
    if (!s.ties) {
      EXPECT_GT(d.range, 8)
          << "outputs should spread over many steps: " << d.ToString();
    }
  }
}

class ConvOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  }
};

ir::Conv2DOptions ConvOpts(ir::Padding p, int stride, int dilation,
                           ir::Activation a) {
  ir::Conv2DOptions o;
  o.padding = p;
  o.stride_h = o.stride_w = stride;
  o.dilation_h = o.dilation_w = dilation;
  o.activation = a;
  return o;
}

ir::DepthwiseConv2DOptions DwOpts(ir::Padding p, int stride, int dilation,
                                  int multiplier, ir::Activation a) {
  ir::DepthwiseConv2DOptions o;
  o.padding = p;
  o.stride_h = o.stride_w = stride;
  o.dilation_h = o.dilation_w = dilation;
  o.depth_multiplier = multiplier;
  o.activation = a;
  return o;
}

constexpr auto kSame = ir::Padding::kSame;
constexpr auto kValid = ir::Padding::kValid;
constexpr auto kNone = ir::Activation::kNone;
constexpr auto kRelu = ir::Activation::kRelu;
constexpr auto kRelu6 = ir::Activation::kRelu6;

// Adds the tie-heavy twin of every quantized spec (named "<name>_ties").
std::vector<Spec> WithTies(std::vector<Spec> specs) {
  const size_t n = specs.size();
  for (size_t i = 0; i < n; ++i) {
    if (specs[i].dtype == DType::kUInt8 || specs[i].dtype == DType::kInt8) {
      Spec t = specs[i];
      t.name += "_ties";
      t.ties = true;
      specs.push_back(t);
    }
  }
  return specs;
}

void RunAll(const std::vector<Spec>& specs, uint32_t seed) {
  for (size_t i = 0; i < specs.size(); ++i)
    RunCase(specs[i], seed + static_cast<uint32_t>(i));
}

// TFLite 2.12 refuses CONV_2D and DEPTHWISE_CONV_2D without a bias, so every
// case here has one (detlite runs them without; see conv_ops_test.cc).
TEST_F(ConvOracleTest, Conv2D) {
  const Shape in{1, 13, 12, 8}, f3{16, 3, 3, 8}, f1{24, 1, 1, 8};
  std::vector<Spec> specs = {
      {"conv_f32_same_s2", OpKind::kConv2D, DType::kFloat32, in, f3,
       ConvOpts(kSame, 2, 1, kRelu6)},
      {"conv_f32_valid_d2", OpKind::kConv2D, DType::kFloat32, in, f3,
       ConvOpts(kValid, 1, 2, kNone)},
      {"conv_f32_fp16w", OpKind::kConv2D, DType::kFloat32, in, f3,
       ConvOpts(kSame, 1, 1, kNone)},
      {"conv_u8_same_s2", OpKind::kConv2D, DType::kUInt8, in, f3,
       ConvOpts(kSame, 2, 1, kNone)},
      {"conv_u8_1x1_relu6", OpKind::kConv2D, DType::kUInt8, in, f1,
       ConvOpts(kValid, 1, 1, kRelu6)},
      {"conv_u8_runtime_w", OpKind::kConv2D, DType::kUInt8, in, f3,
       ConvOpts(kSame, 1, 1, kNone), true, false, true},
      {"conv_i8_same_s2", OpKind::kConv2D, DType::kInt8, in, f3,
       ConvOpts(kSame, 2, 1, kNone)},
      {"conv_i8_1x1_relu", OpKind::kConv2D, DType::kInt8, in, f1,
       ConvOpts(kSame, 1, 1, kRelu)},
      {"conv_i8_d2", OpKind::kConv2D, DType::kInt8, in, f3,
       ConvOpts(kSame, 1, 2, kNone)},
      {"conv_i8_per_tensor", OpKind::kConv2D, DType::kInt8, in, f3,
       ConvOpts(kValid, 1, 1, kRelu6), true, false},
      {"conv_i8_runtime_w", OpKind::kConv2D, DType::kInt8, in, f3,
       ConvOpts(kSame, 1, 1, kNone), true, true, true},
      {"conv_i16_same_s2", OpKind::kConv2D, DType::kInt16, in, f3,
       ConvOpts(kSame, 2, 1, kRelu6)},
  };
  specs[2].fp16_weights = true;
  RunAll(WithTies(specs), 100);
}

// Grouped CONV_2D (groups = input channels / the filter's depth), as in
// YOLO11n's [128,3,3,1] filter over 128 channels. XNNPACK runs these in the
// judge (TFLite's own kernels refuse groups), so only constant filters.
TEST_F(ConvOracleTest, GroupedConv2D) {
  const Shape in{1, 13, 12, 8}, g4{16, 3, 3, 2}, g8{8, 3, 3, 1};
  std::vector<Spec> specs = {
      {"gconv_f32_g4_s2", OpKind::kConv2D, DType::kFloat32, in, g4,
       ConvOpts(kSame, 2, 1, kRelu6)},
      {"gconv_f32_g8", OpKind::kConv2D, DType::kFloat32, in, g8,
       ConvOpts(kSame, 1, 1, kNone)},
      {"gconv_i8_g4", OpKind::kConv2D, DType::kInt8, in, g4,
       ConvOpts(kValid, 1, 2, kNone)},
      {"gconv_i8_g8", OpKind::kConv2D, DType::kInt8, in, g8,
       ConvOpts(kSame, 1, 1, kNone)},
      {"gconv_i8_g8_per_tensor", OpKind::kConv2D, DType::kInt8, in, g8,
       ConvOpts(kSame, 2, 1, kRelu), true, false},
      {"gconv_u8_g4", OpKind::kConv2D, DType::kUInt8, in, g4,
       ConvOpts(kSame, 1, 1, kNone)},
  };
  RunAll(WithTies(specs), 500);
}

TEST_F(ConvOracleTest, DepthwiseConv2D) {
  const Shape in{1, 13, 12, 8}, f1{1, 3, 3, 8}, f2{1, 3, 3, 16};
  std::vector<Spec> specs = {
      {"dw_f32_same_s2", OpKind::kDepthwiseConv2D, DType::kFloat32, in, f1,
       DwOpts(kSame, 2, 1, 1, kRelu6)},
      {"dw_f32_m2_d2", OpKind::kDepthwiseConv2D, DType::kFloat32, in, f2,
       DwOpts(kValid, 1, 2, 2, kNone)},
      {"dw_f32_fp16w", OpKind::kDepthwiseConv2D, DType::kFloat32, in, f1,
       DwOpts(kSame, 1, 1, 1, kNone)},
      {"dw_u8_same_s2", OpKind::kDepthwiseConv2D, DType::kUInt8, in, f1,
       DwOpts(kSame, 2, 1, 1, kRelu6)},
      {"dw_u8_m2", OpKind::kDepthwiseConv2D, DType::kUInt8, in, f2,
       DwOpts(kSame, 1, 1, 2, kNone)},
      {"dw_u8_qdim3", OpKind::kDepthwiseConv2D, DType::kUInt8, in, f1,
       DwOpts(kSame, 1, 1, 1, kNone)},
      {"dw_u8_runtime_w", OpKind::kDepthwiseConv2D, DType::kUInt8, in, f1,
       DwOpts(kSame, 1, 1, 1, kNone), true, false, true},
      {"dw_i8_same_s2", OpKind::kDepthwiseConv2D, DType::kInt8, in, f1,
       DwOpts(kSame, 2, 1, 1, kNone)},
      {"dw_i8_m2_d2", OpKind::kDepthwiseConv2D, DType::kInt8, in, f2,
       DwOpts(kValid, 1, 2, 2, kRelu)},
      {"dw_i8_runtime_w", OpKind::kDepthwiseConv2D, DType::kInt8, in, f2,
       DwOpts(kSame, 1, 1, 2, kNone), true, true, true},
      {"dw_i16", OpKind::kDepthwiseConv2D, DType::kInt16, in, f2,
       DwOpts(kSame, 1, 1, 2, kNone)},
  };
  specs[2].fp16_weights = true;
  specs[5].filter_quantized_dimension =
      3;  // XNNPACK declines it; TFLite's kernel runs
  RunAll(WithTies(specs), 200);
}

TEST_F(ConvOracleTest, FullyConnected) {
  auto fc = [](bool keep, ir::Activation a) {
    ir::FullyConnectedOptions o;
    o.keep_num_dims = keep;
    o.activation = a;
    return o;
  };
  const Shape in2{40, 64}, in3{4, 10, 64}, w{32, 64};
  std::vector<Spec> specs = {
      {"fc_f32", OpKind::kFullyConnected, DType::kFloat32, in2, w,
       fc(false, kRelu)},
      {"fc_f32_keep_dims", OpKind::kFullyConnected, DType::kFloat32, in3, w,
       fc(true, kNone), false},
      {"fc_u8", OpKind::kFullyConnected, DType::kUInt8, in2, w,
       fc(false, kNone)},
      {"fc_u8_runtime_w", OpKind::kFullyConnected, DType::kUInt8, in2, w,
       fc(false, kNone), true, false, true},
      {"fc_i8_per_tensor", OpKind::kFullyConnected, DType::kInt8, in2, w,
       fc(false, kRelu6), true, false},
      {"fc_i8_per_channel", OpKind::kFullyConnected, DType::kInt8, in2, w,
       fc(false, kNone)},
      {"fc_i8_runtime_w", OpKind::kFullyConnected, DType::kInt8, in2, w,
       fc(false, kNone), true, false, true},
      {"fc_i8_runtime_w_pc", OpKind::kFullyConnected, DType::kInt8, in2, w,
       fc(false, kNone), true, true, true},
      {"fc_i8_keep_dims", OpKind::kFullyConnected, DType::kInt8, in3, w,
       fc(true, kNone), true, false},
      {"fc_i8_flatten_nobias", OpKind::kFullyConnected, DType::kInt8, in3, w,
       fc(false, kNone), false, false},
      {"fc_i16", OpKind::kFullyConnected, DType::kInt16, in2, w,
       fc(false, kNone), true, false},
  };
  RunAll(WithTies(specs), 300);
}

TEST_F(ConvOracleTest, TransposeConv) {
  auto tc = [](ir::Padding p, int stride) {
    ir::TransposeConvOptions o;
    o.padding = p;
    o.stride_h = o.stride_w = stride;
    return o;
  };
  const Shape in{1, 7, 6, 8}, w{12, 3, 3, 8};
  std::vector<Spec> specs = {
      {"tconv_f32_same_s2", OpKind::kTransposeConv, DType::kFloat32, in, w,
       tc(kSame, 2)},
      {"tconv_f32_valid", OpKind::kTransposeConv, DType::kFloat32, in, w,
       tc(kValid, 2), false},
      {"tconv_i8_same_s2", OpKind::kTransposeConv, DType::kInt8, in, w,
       tc(kSame, 2)},
      {"tconv_i8_odd_out", OpKind::kTransposeConv, DType::kInt8, in, w,
       tc(kSame, 2), false},
      {"tconv_i8_per_tensor", OpKind::kTransposeConv, DType::kInt8, in, w,
       tc(kSame, 2), true, false},
      {"tconv_u8_same_s2", OpKind::kTransposeConv, DType::kUInt8, in, w,
       tc(kSame, 2)},
      {"tconv_u8_runtime_w", OpKind::kTransposeConv, DType::kUInt8, in, w,
       tc(kSame, 2), true, false, true},
      {"tconv_i16_valid", OpKind::kTransposeConv, DType::kInt16, in, w,
       tc(kValid, 1)},
  };
  const Shape out_shapes[] = {{1, 14, 12, 12}, {1, 15, 13, 12}, {1, 14, 12, 12},
                              {1, 13, 11, 12}, {1, 14, 12, 12}, {1, 14, 12, 12},
                              {1, 14, 12, 12}, {1, 9, 8, 12}};
  for (size_t i = 0; i < specs.size(); ++i)
    specs[i].output_shape = out_shapes[i];
  RunAll(WithTies(specs), 400);
}

}  // namespace
}  // namespace detlite
