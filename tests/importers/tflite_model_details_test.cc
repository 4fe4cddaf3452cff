// Specific values in the real models, each one checked against what
// `flatc --json` shows for the same file with our schema.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"

namespace detlite {
namespace {

ir::Model Read(const std::string& file) {
  auto m = ReadTfliteFile(testing::DataPath("tflite/" + file));
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : ir::Model();
}

std::string AsString(const ir::Bytes& b) { return std::string(b.begin(), b.end()); }

TEST(TfliteModelDetails, CocoQuantizationAndOptions) {
  ir::Model m = Read("coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite");
  ASSERT_EQ(m.subgraphs.size(), 1u);
  const ir::Subgraph& sg = m.subgraphs[0];
  const ir::Tensor& in = sg.tensors[175];
  EXPECT_EQ(in.name, "normalized_input_image_tensor");
  ASSERT_EQ(in.quant.scale.size(), 1u);
  EXPECT_NEAR(in.quant.scale[0], 0.0078125f, 1e-6f);
  EXPECT_EQ(in.quant.zero_point, std::vector<int64_t>{128});
  EXPECT_EQ(in.quant.min, std::vector<float>{-1.0f});

  const ir::Tensor& w = sg.tensors[2];
  EXPECT_EQ(w.dtype, DType::kUInt8);
  EXPECT_EQ(w.shape, Shape({12, 1, 1, 384}));
  ASSERT_NE(w.data, nullptr);
  EXPECT_EQ(w.data->size(), 4608u);
  EXPECT_EQ(w.quant.zero_point, std::vector<int64_t>{123});
  const ir::Tensor& bias = sg.tensors[1];
  EXPECT_EQ(bias.dtype, DType::kInt32);
  EXPECT_EQ(bias.data->size(), 48u);

  const ir::Operator& conv = sg.ops[0];
  EXPECT_EQ(conv.kind, ir::OpKind::kConv2D);
  EXPECT_EQ(conv.inputs, (std::vector<int32_t>{175, 86, 84}));
  EXPECT_EQ(conv.outputs, std::vector<int32_t>{85});
  const auto* opt = std::get_if<ir::Conv2DOptions>(&conv.options);
  ASSERT_NE(opt, nullptr);
  EXPECT_EQ(opt->stride_w, 2);
  EXPECT_EQ(opt->stride_h, 2);
  EXPECT_EQ(opt->padding, ir::Padding::kSame);

  const ir::Operator& post = sg.ops.back();
  EXPECT_EQ(post.kind, ir::OpKind::kCustom);
  EXPECT_EQ(post.custom_code, "TFLite_Detection_PostProcess");
  EXPECT_EQ(post.custom_options.size(), 217u);
  EXPECT_EQ(post.outputs, (std::vector<int32_t>{167, 168, 169, 170}));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(post.options));

  ASSERT_EQ(m.metadata.size(), 1u);
  EXPECT_EQ(m.metadata[0].data.size(), 1340u);
  EXPECT_EQ(AsString(ir::Bytes(m.metadata[0].data.begin() + 4,
                               m.metadata[0].data.begin() + 8)), "M001");
}

TEST(TfliteModelDetails, HalfPlusTwoMetadataAndArithmetic) {
  ir::Model m = Read("half_plus_two.tflite");
  const ir::Metadata* v = m.FindMetadata("min_runtime_version");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(AsString(v->data), "1.5.0");
  const ir::Subgraph& sg = m.subgraphs[0];
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.inputs[0])].name, "x");
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].name, "y");
  for (const ir::Operator& op : sg.ops) {
    const auto* a = std::get_if<ir::ArithmeticOptions>(&op.options);
    ASSERT_NE(a, nullptr) << ir::OpKindName(op.kind);
    EXPECT_EQ(a->activation, ir::Activation::kNone);
  }
}

TEST(TfliteModelDetails, SparseWeightsKeepLayoutAndWidths) {
  ir::Model m = Read("face_detection_full_range_sparse.tflite");
  const ir::Tensor& t = m.subgraphs[0].tensors[14];
  EXPECT_EQ(t.name, "model_1/model/conv2d_1/Conv2D_dequantize");
  EXPECT_EQ(t.dtype, DType::kFloat16);
  EXPECT_EQ(t.shape, Shape({8, 1, 1, 32}));
  ASSERT_TRUE(t.sparsity.has_value());
  EXPECT_EQ(t.sparsity->traversal_order, (std::vector<int32_t>{0, 1, 2, 3}));
  EXPECT_TRUE(t.sparsity->block_map.empty());
  ASSERT_EQ(t.sparsity->dim_metadata.size(), 4u);
  EXPECT_FALSE(t.sparsity->dim_metadata[0].sparse_csr);
  EXPECT_EQ(t.sparsity->dim_metadata[0].dense_size, 8);
  const auto& csr = t.sparsity->dim_metadata[3];
  EXPECT_TRUE(csr.sparse_csr);
  EXPECT_EQ(csr.array_segments.size(), 9u);
  EXPECT_EQ(csr.array_indices.size(), 77u);
  EXPECT_EQ(csr.segments_width, 8);
  EXPECT_EQ(csr.indices_width, 8);
  ASSERT_NE(t.data, nullptr);
  EXPECT_EQ(t.data->size(), 77u * 2);  // only the stored fp16 values

  int densify_versions = 0;
  for (const ir::Operator& op : m.subgraphs[0].ops) {
    if (op.kind == ir::OpKind::kDensify) densify_versions += op.version;
    if (op.kind == ir::OpKind::kDequantize) {
      EXPECT_EQ(op.version, 3);
    }
  }
  EXPECT_EQ(densify_versions, 46);
  EXPECT_EQ(m.subgraphs[0].name, "main");
  EXPECT_EQ(AsString(m.FindMetadata("min_runtime_version")->data).substr(0, 5), "2.2.0");
  // The buffer is stored padded to 16 bytes and must come back as stored.
  EXPECT_EQ(m.FindMetadata("min_runtime_version")->data.size(), 16u);
}

TEST(TfliteModelDetails, MediapipeUnnamedMetadataKept) {
  ir::Model m = Read("face_detection_full_range.tflite");
  ASSERT_EQ(m.unnamed_metadata.size(), 2u);
  EXPECT_EQ(m.unnamed_metadata[0].size(), 384u);
  EXPECT_EQ(AsString(ir::Bytes(m.unnamed_metadata[0].begin() + 4,
                               m.unnamed_metadata[0].begin() + 8)), "FDMD");
  EXPECT_EQ(m.unnamed_metadata[1].size(), 508u);
  int resize = 0;
  for (const ir::Operator& op : m.subgraphs[0].ops) {
    if (op.kind != ir::OpKind::kResizeBilinear) continue;
    const auto* r = std::get_if<ir::ResizeOptions>(&op.options);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->half_pixel_centers);
    EXPECT_FALSE(r->align_corners);
    ++resize;
  }
  EXPECT_EQ(resize, 3);
}

TEST(TfliteModelDetails, PalmPreluAndPrecisionMetadata) {
  ir::Model m = Read("palm_detection_lite.tflite");
  const ir::Metadata* p = m.FindMetadata("reduced_precision_support");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(AsString(p->data), "fp16accfp32");
  for (const ir::Operator& op : m.subgraphs[0].ops) {
    if (op.kind == ir::OpKind::kPad) {
      // PadOptions is an empty table: nothing for the IR to hold.
      EXPECT_TRUE(std::holds_alternative<std::monostate>(op.options));
    }
    if (op.kind == ir::OpKind::kDequantize) {
      const ir::Tensor& in = m.subgraphs[0].tensors[static_cast<size_t>(op.inputs[0])];
      EXPECT_EQ(in.dtype, DType::kFloat16);
      EXPECT_TRUE(in.is_constant());
    }
  }
}

TEST(TfliteModelDetails, MissingFileNamesPath) {
  auto m = ReadTfliteFile("/nonexistent/dir/model.tflite");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("/nonexistent/dir/model.tflite"),
            std::string::npos);
}

}  // namespace
}  // namespace detlite
