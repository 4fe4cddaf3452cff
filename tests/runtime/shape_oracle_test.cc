// The shape and quantize families against the real TFLite runtime, one op
// at a time: each case builds a small model, runs it in detlite's
// interpreter and, written as .tflite, in TFLite (WebAssembly, XNNPACK on),
// on deterministic random data, and requires identical bytes: these ops
// either move values or follow the judge's arithmetic exactly. The cases
// cover the paths where the judge's kernels differ (XNNPACK vs TFLite's own:
// quantized resize, QUANTIZE, uint8 concatenation).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "exporters/tflite/tflite_writer.h"
#include "ir/builder.h"
#include "runtime/interpreter.h"
#include "runtime/oracle_bit_exact.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using ir::OpKind;
using ir::PerTensorQuant;

struct Case {
  ir::Model model;
  std::vector<std::vector<uint8_t>> inputs;  // one per model input
  std::mt19937 rng{7};

  // A model input filled with random values of its type.
  int32_t In(ir::Builder& b, const std::string& name, DType t, Shape s, QuantParams q = {}) {
    const int32_t id = b.Input(name, t, s, q);
    const size_t n = static_cast<size_t>(s.NumElements());
    std::vector<uint8_t> bytes(n * DTypeSize(t));
    for (size_t i = 0; i < n; ++i) {
      if (t == DType::kFloat32) {
        const float v = std::uniform_real_distribution<float>(-4.0f, 4.0f)(rng);
        std::memcpy(bytes.data() + i * 4, &v, 4);
      } else if (t == DType::kInt16) {
        const auto v = static_cast<int16_t>(std::uniform_int_distribution<int>(-32768, 32767)(rng));
        std::memcpy(bytes.data() + i * 2, &v, 2);
      } else {
        bytes[i] = static_cast<uint8_t>(std::uniform_int_distribution<int>(0, 255)(rng));
      }
    }
    inputs.push_back(std::move(bytes));
    return id;
  }
};

void RunCase(const std::string& name, const std::function<void(Case&, ir::Builder&)>& build) {
  SCOPED_TRACE(name);
  Case c;
  ir::Builder b(&c.model);
  build(c, b);
  testing::ExpectBitExactInTflite(c.model, c.inputs, testing::TempDir() + "/shape_oracle_" + name + ".tflite");
}

class ShapeOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  }
};

TEST_F(ShapeOracleTest, ReshapeConcatPackSplit) {
  RunCase("reshape_squeeze_expand", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {2, 3, 4});
    const int32_t s = b.ConstantI32("s", {3}, {4, -1, 1});
    const int32_t r = b.Op(OpKind::kReshape, {x, s}, "r", DType::kFloat32, {});
    ir::SqueezeOptions sq;
    sq.squeeze_dims = {-1};
    const int32_t q = b.Op(OpKind::kSqueeze, {r}, "q", DType::kFloat32, {}, sq);
    const int32_t axis = b.ConstantI32("a", {}, {0});
    b.Output(b.Op(OpKind::kExpandDims, {q, axis}, "y", DType::kFloat32, {}));
  });
  RunCase("concat_u8_copy", [](Case& c, ir::Builder& b) {
    const int32_t x0 = c.In(b, "x0", DType::kUInt8, {1, 2, 3}, PerTensorQuant(0.1f, 130));
    const int32_t x1 = c.In(b, "x1", DType::kUInt8, {1, 4, 3}, PerTensorQuant(0.037f, 100));
    ir::ConcatenationOptions o;
    o.axis = -2;
    b.Output(b.Op(OpKind::kConcatenation, {x0, x1}, "y", DType::kUInt8, {}, o, PerTensorQuant(0.07f, 120)));
  });
  RunCase("concat_u8_rescale", [](Case& c, ir::Builder& b) {
    std::vector<int32_t> ins;
    const float scales[5] = {0.1f, 0.037f, 0.05f, 0.2f, 0.07f};
    const int64_t zps[5] = {130, 100, 0, 255, 120};
    for (int i = 0; i < 5; ++i) {
      ins.push_back(c.In(b, "x" + std::to_string(i), DType::kUInt8, {2, i + 1}, PerTensorQuant(scales[i], zps[i])));
    }
    ir::ConcatenationOptions o;
    o.axis = 1;
    b.Output(b.Op(OpKind::kConcatenation, ins, "y", DType::kUInt8, {}, o, PerTensorQuant(0.07f, 120)));
  });
  RunCase("pack_unpack_split", [](Case& c, ir::Builder& b) {
    const int32_t x0 = c.In(b, "x0", DType::kInt8, {2, 6}, PerTensorQuant(0.5f, 0));
    const int32_t x1 = c.In(b, "x1", DType::kInt8, {2, 6}, PerTensorQuant(0.5f, 0));
    ir::PackOptions p;
    p.count = 2;
    p.axis = -1;
    const int32_t packed = b.Op(OpKind::kPack, {x0, x1}, "p", DType::kInt8, {}, p, PerTensorQuant(0.5f, 0));
    const int32_t axis = b.ConstantI32("axis", {}, {1});
    ir::SplitOptions s;
    s.num_splits = 3;
    std::vector<int32_t> parts;
    for (int i = 0; i < 3; ++i) parts.push_back(b.Tensor("s" + std::to_string(i), DType::kInt8, {}, PerTensorQuant(0.5f, 0)));
    b.AddOp(OpKind::kSplit, {axis, packed}, parts, s);
    const int32_t sizes = b.ConstantI32("sizes", {2}, {-1, 1});
    const int32_t axis2 = b.ConstantI32("axis2", {1}, {-1});
    ir::SplitOptions sv;
    sv.num_splits = 2;
    const int32_t v0 = b.Tensor("v0", DType::kInt8, {}, PerTensorQuant(0.5f, 0));
    const int32_t v1 = b.Tensor("v1", DType::kInt8, {}, PerTensorQuant(0.5f, 0));
    b.AddOp(OpKind::kSplitV, {parts[1], sizes, axis2}, {v0, v1}, sv);
    ir::PackOptions u;
    u.count = 2;
    u.axis = 0;
    const int32_t u0 = b.Tensor("u0", DType::kInt8, {}, PerTensorQuant(0.5f, 0));
    const int32_t u1 = b.Tensor("u1", DType::kInt8, {}, PerTensorQuant(0.5f, 0));
    b.AddOp(OpKind::kUnpack, {parts[2]}, {u0, u1}, u);
    for (int32_t t : {parts[0], v0, v1, u1}) b.Output(t);
  });
}

TEST_F(ShapeOracleTest, PadSliceGather) {
  RunCase("pad_family", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kInt8, {1, 3, 4, 2}, PerTensorQuant(0.25f, -7));
    const int32_t p = b.ConstantI32("p", {4, 2}, {0, 0, 1, 2, 2, 0, 0, 1});
    b.Output(b.Op(OpKind::kPad, {x, p}, "pad", DType::kInt8, {}, {}, PerTensorQuant(0.25f, -7)));
    const int32_t f = c.In(b, "f", DType::kFloat32, {3, 4});
    const int32_t p2 = b.ConstantI32("p2", {2, 2}, {2, 1, 0, 3});
    const int32_t v = b.ConstantF32("v", {}, {-1.5f});
    b.Output(b.Op(OpKind::kPadv2, {f, p2, v}, "padv2", DType::kFloat32, {}));
    ir::MirrorPadOptions reflect, symmetric;
    symmetric.symmetric = true;
    b.Output(b.Op(OpKind::kMirrorPad, {f, p2}, "reflect", DType::kFloat32, {}, reflect));
    const int32_t p3 = b.ConstantI32("p3", {2, 2}, {3, 0, 4, 4});
    b.Output(b.Op(OpKind::kMirrorPad, {f, p3}, "symmetric", DType::kFloat32, {}, symmetric));
  });
  RunCase("strided_slices", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {4, 5, 6});
    auto slice = [&](const std::string& n, std::vector<int32_t> begin, std::vector<int32_t> end,
                     std::vector<int32_t> strides, ir::StridedSliceOptions o) {
      const int32_t k = static_cast<int32_t>(begin.size());
      const int32_t bt = b.ConstantI32(n + "_b", {k}, begin);
      const int32_t et = b.ConstantI32(n + "_e", {k}, end);
      const int32_t st = b.ConstantI32(n + "_s", {k}, strides);
      b.Output(b.Op(OpKind::kStridedSlice, {x, bt, et, st}, n, DType::kFloat32, {}, o));
    };
    ir::StridedSliceOptions none, masks, shrink, ellipsis, newaxis;
    masks.begin_mask = 2;
    masks.end_mask = 5;
    shrink.shrink_axis_mask = 5;
    ellipsis.ellipsis_mask = 2;
    newaxis.new_axis_mask = 2;
    slice("neg", {-1, -4, 5}, {-5, -1, 0}, {-1, 2, -2}, none);
    slice("masks", {3, 7, 1}, {0, -2, 9}, {-1, 1, 2}, masks);
    slice("shrink", {-2, 1, 3}, {0, 4, 0}, {1, 2, 1}, shrink);
    slice("ellipsis", {1, 0, 2}, {3, 0, 6}, {1, 1, 3}, ellipsis);
    slice("newaxis", {1, 0, 2}, {3, 0, 5}, {1, 1, 1}, newaxis);
    const int32_t begin = b.ConstantI32("sl_b", {3}, {1, 0, 2});
    const int32_t size = b.ConstantI32("sl_s", {3}, {2, -1, 3});
    b.Output(b.Op(OpKind::kSlice, {x, begin, size}, "slice", DType::kFloat32, {}));
  });
  RunCase("gather_tile_transpose", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {2, 3, 4});
    const int32_t idx = b.ConstantI32("idx", {2, 3}, {3, 0, 1, 1, 1, 2});
    ir::GatherOptions g;
    g.axis = 2;
    g.batch_dims = 1;
    b.Output(b.Op(OpKind::kGather, {x, idx}, "gather", DType::kFloat32, {}, g));
    const int32_t idx2 = b.ConstantI32("idx2", {4}, {2, 0, 2, 1});
    ir::GatherOptions g2;
    g2.axis = -2;
    b.Output(b.Op(OpKind::kGather, {x, idx2}, "gather2", DType::kFloat32, {}, g2));
    const int32_t m = b.ConstantI32("m", {3}, {2, 1, 3});
    b.Output(b.Op(OpKind::kTile, {x, m}, "tile", DType::kFloat32, {}));
    const int32_t perm = b.ConstantI32("perm", {3}, {2, 0, 1});
    b.Output(b.Op(OpKind::kTranspose, {x, perm}, "transpose", DType::kFloat32, {}));
  });
}

ir::ResizeOptions ResizeOpts(bool align, bool half) {
  ir::ResizeOptions o;
  o.align_corners = align;
  o.half_pixel_centers = half;
  return o;
}

TEST_F(ShapeOracleTest, ResizeAndSpaceDepth) {
  RunCase("resize_float", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {1, 5, 7, 3});
    const int32_t size = b.ConstantI32("size", {2}, {13, 11});
    b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "half", DType::kFloat32, {}, ResizeOpts(false, true)));
    b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "align", DType::kFloat32, {}, ResizeOpts(true, false)));
    b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "legacy", DType::kFloat32, {}, ResizeOpts(false, false)));
    b.Output(b.Op(OpKind::kResizeNearestNeighbor, {x, size}, "nn", DType::kFloat32, {}, ResizeOpts(true, true)));
  });
  // A quantized bilinear resize whose output quantization differs from its
  // input's makes the judge's XNNPACK delegate fail, and the whole model
  // then runs on TFLite's own kernels; so the two kinds get separate models.
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    const QuantParams q = PerTensorQuant(0.1f, t == DType::kUInt8 ? 120 : -3);
    RunCase(std::string("resize_xnnpack_") + std::string(DTypeName(t)), [t, q](Case& c, ir::Builder& b) {
      const int32_t x = c.In(b, "x", t, {1, 5, 7, 8}, q);
      const int32_t size = b.ConstantI32("size", {2}, {13, 11});
      b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "half", t, {}, ResizeOpts(false, true), q));
      b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "align", t, {}, ResizeOpts(true, false), q));
      b.Output(b.Op(OpKind::kResizeNearestNeighbor, {x, size}, "nn", t, {}, ResizeOpts(false, true), q));
    });
    RunCase(std::string("resize_tflite_") + std::string(DTypeName(t)), [t, q](Case& c, ir::Builder& b) {
      const int32_t x = c.In(b, "x", t, {1, 5, 7, 8}, q);
      const int32_t size = b.ConstantI32("size", {2}, {13, 11});
      b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "other_q", t, {}, ResizeOpts(false, true),
                    PerTensorQuant(0.2f, 3)));
    });
  }
  RunCase("space_depth", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {2, 4, 6, 3});
    ir::BlockSizeOptions o;
    o.block_size = 2;
    const int32_t d = b.Op(OpKind::kSpaceToDepth, {x}, "s2d", DType::kFloat32, {}, o);
    b.Output(d);
    b.Output(b.Op(OpKind::kDepthToSpace, {d}, "d2s", DType::kFloat32, {}, o));
  });
}

TEST_F(ShapeOracleTest, QuantizeDequantizeCastArg) {
  RunCase("quantize_from_float", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {64});
    b.Output(b.Op(OpKind::kQuantize, {x}, "i8", DType::kInt8, {}, {}, PerTensorQuant(0.03125f, -5)));
    b.Output(b.Op(OpKind::kQuantize, {x}, "u8", DType::kUInt8, {}, {}, PerTensorQuant(0.0371f, 131)));
    b.Output(b.Op(OpKind::kQuantize, {x}, "i16", DType::kInt16, {}, {}, PerTensorQuant(0.000244140625f, 0)));
  });
  RunCase("requantize", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kInt8, {256}, PerTensorQuant(0.1f, 3));
    b.Output(b.Op(OpKind::kQuantize, {x}, "i8", DType::kInt8, {}, {}, PerTensorQuant(0.07f, -5)));
    b.Output(b.Op(OpKind::kQuantize, {x}, "u8", DType::kUInt8, {}, {}, PerTensorQuant(0.07f, 128)));
    const int32_t u = c.In(b, "u", DType::kUInt8, {256}, PerTensorQuant(0.1f, 130));
    b.Output(b.Op(OpKind::kQuantize, {u}, "u8b", DType::kUInt8, {}, {}, PerTensorQuant(0.3f, 100)));
    const int32_t s = c.In(b, "s", DType::kInt16, {256}, PerTensorQuant(0.001f, 0));
    b.Output(b.Op(OpKind::kQuantize, {s}, "s8", DType::kInt8, {}, {}, PerTensorQuant(0.05f, 3)));
  });
  RunCase("dequantize", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kInt8, {64}, PerTensorQuant(0.1f, 3));
    b.Output(b.Op(OpKind::kDequantize, {x}, "f", DType::kFloat32, {}));
    const int32_t u = c.In(b, "u", DType::kUInt8, {64}, PerTensorQuant(0.37f, 200));
    b.Output(b.Op(OpKind::kDequantize, {u}, "g", DType::kFloat32, {}));
    const int32_t h = b.Constant<uint16_t>("h", {4}, {0x0001, 0x83FF, 0x7BFF, 0x3555}, DType::kFloat16);
    const int32_t w = b.Op(OpKind::kDequantize, {h}, "w", DType::kFloat32, {4});
    const int32_t y = c.In(b, "y", DType::kFloat32, {4});
    b.Output(b.Op(OpKind::kAdd, {y, w}, "sum", DType::kFloat32, {}, ir::ArithmeticOptions{}));
  });
  RunCase("cast_argmax", [](Case& c, ir::Builder& b) {
    const int32_t x = c.In(b, "x", DType::kFloat32, {4, 16});
    const int32_t scaled_by = b.ConstantF32("k", {1}, {60.0f});
    const int32_t big = b.Op(OpKind::kMul, {x, scaled_by}, "big", DType::kFloat32, {}, ir::ArithmeticOptions{});
    b.Output(b.Op(OpKind::kCast, {big}, "i8", DType::kInt8, {}));
    b.Output(b.Op(OpKind::kCast, {big}, "u8", DType::kUInt8, {}));
    b.Output(b.Op(OpKind::kCast, {big}, "i32", DType::kInt32, {}));
    const int32_t axis = b.ConstantI32("axis", {1}, {-1});
    ir::ArgMinMaxOptions o;
    o.output_type = DType::kInt32;
    b.Output(b.Op(OpKind::kArgMax, {x, axis}, "argmax", DType::kInt32, {}, o));
    b.Output(b.Op(OpKind::kArgMin, {x, axis}, "argmin", DType::kInt32, {}, o));
  });
}

TEST_F(ShapeOracleTest, DensifyBlockSparse) {
  RunCase("densify", [](Case& c, ir::Builder& b) {
    // A 4x6 float matrix in 2x2 blocks: block row 0 keeps block column 2,
    // block row 1 keeps block columns 0 and 1.
    SparsityParams sp;
    sp.traversal_order = {0, 1, 2, 3};
    sp.block_map = {0, 1};
    SparsityParams::DimMetadata dense2, csr;
    dense2.dense_size = 2;
    SparsityParams::DimMetadata rows = dense2;
    csr.sparse_csr = true;
    csr.array_segments = {0, 1, 3};
    csr.array_indices = {2, 0, 1};
    sp.dim_metadata = {rows, csr, dense2, dense2};
    std::vector<float> values(12);
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.5f * static_cast<float>(i + 1);
    const int32_t w = b.Constant<float>("w_sparse", {4, 6}, values, DType::kFloat32);
    b.subgraph().tensors[static_cast<size_t>(w)].sparsity = sp;
    const int32_t d = b.Op(OpKind::kDensify, {w}, "w", DType::kFloat32, {4, 6});
    const int32_t x = c.In(b, "x", DType::kFloat32, {4, 6});
    b.Output(b.Op(OpKind::kAdd, {x, d}, "y", DType::kFloat32, {}, ir::ArithmeticOptions{}));
  });
}

}  // namespace
}  // namespace detlite
