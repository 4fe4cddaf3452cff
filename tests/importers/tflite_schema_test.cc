// Our schema must lay out bytes exactly as TFLite's: these pin the numeric
// facts a careless edit of schemas/tflite/tflite.fbs would change (field
// ids as vtable offsets, union member positions, enum values), and tie the
// IR's op kinds to the schema's operator codes.
#include <gtest/gtest.h>

#include <string>

#include "detlite/schemas/tflite_generated.h"
#include "ir/op_kind.h"

namespace detlite {
namespace {

// vtable offset of field id n.
constexpr int Field(int id) { return 4 + 2 * id; }

TEST(TfliteSchema, OpKindsAreTheSchemasOperatorCodes) {
  EXPECT_EQ(ir::kMaxKnownOpKind, static_cast<int32_t>(fb::BuiltinOperator::RIGHT_SHIFT));
  for (int32_t code = 0; code <= ir::kMaxKnownOpKind; ++code) {
    EXPECT_EQ(std::string(ir::OpKindName(static_cast<ir::OpKind>(code))),
              fb::EnumNameBuiltinOperator(static_cast<fb::BuiltinOperator>(code)))
        << "code " << code;
  }
  EXPECT_EQ(static_cast<int>(ir::OpKind::kLogicalNot), 87);
  EXPECT_EQ(static_cast<int>(ir::OpKind::kQuantize), 114);
  EXPECT_EQ(static_cast<int>(ir::OpKind::kDensify), 124);
}

TEST(TfliteSchema, FieldIds) {
  EXPECT_EQ(fb::Model::VT_BUFFERS, Field(4));
  EXPECT_EQ(fb::Model::VT_METADATA_BUFFER, Field(5));
  EXPECT_EQ(fb::Model::VT_SIGNATURE_DEFS, Field(7));
  EXPECT_EQ(fb::Tensor::VT_SPARSITY, Field(6));
  EXPECT_EQ(fb::Tensor::VT_SHAPE_SIGNATURE, Field(7));
  EXPECT_EQ(fb::Tensor::VT_HAS_RANK, Field(8));
  EXPECT_EQ(fb::Operator::VT_CUSTOM_OPTIONS_FORMAT, Field(6));
  EXPECT_EQ(fb::Operator::VT_INTERMEDIATES, Field(8));
  EXPECT_EQ(fb::Operator::VT_LARGE_CUSTOM_OPTIONS_SIZE, Field(10));
  EXPECT_EQ(fb::Operator::VT_BUILTIN_OPTIONS_2, Field(12));  // type byte at 11
  EXPECT_EQ(fb::OperatorCode::VT_BUILTIN_CODE, Field(3));
  EXPECT_EQ(fb::Buffer::VT_OFFSET, Field(1));
  EXPECT_EQ(fb::Buffer::VT_SIZE, Field(2));
  // Two retired fields keep their ids ahead of align_corners.
  EXPECT_EQ(fb::ResizeBilinearOptions::VT_ALIGN_CORNERS, Field(2));
  EXPECT_EQ(fb::SignatureDef::VT_SUBGRAPH_INDEX, Field(4));
  EXPECT_EQ(fb::DimensionMetadata::VT_ARRAY_INDICES, Field(5));
  EXPECT_EQ(fb::QuantizationParameters::VT_QUANTIZED_DIMENSION, Field(6));
}

TEST(TfliteSchema, UnionPositions) {
  using O = fb::BuiltinOptions;
  EXPECT_EQ(static_cast<int>(O::Conv2DOptions), 1);
  EXPECT_EQ(static_cast<int>(O::Pool2DOptions), 5);
  EXPECT_EQ(static_cast<int>(O::FullyConnectedOptions), 8);
  EXPECT_EQ(static_cast<int>(O::AddOptions), 11);
  EXPECT_EQ(static_cast<int>(O::ReshapeOptions), 17);
  EXPECT_EQ(static_cast<int>(O::DequantizeOptions), 38);
  EXPECT_EQ(static_cast<int>(O::TransposeConvOptions), 49);
  EXPECT_EQ(static_cast<int>(O::QuantizeOptions), 89);
  EXPECT_EQ(static_cast<int>(O::DensifyOptions), 99);
  EXPECT_EQ(static_cast<int>(O::BatchMatMulOptions), 101);
  EXPECT_EQ(static_cast<int>(O::GeluOptions), 116);
  EXPECT_EQ(static_cast<int>(O::RightShiftOptions), 126);
  EXPECT_EQ(static_cast<int>(fb::SparseIndexVector::Uint8Vector), 3);
  EXPECT_EQ(static_cast<int>(fb::BuiltinOptions2::StableHLOCompositeOptions), 21);
}

TEST(TfliteSchema, EnumValues) {
  EXPECT_EQ(static_cast<int>(fb::TensorType::INT8), 9);
  EXPECT_EQ(static_cast<int>(fb::TensorType::INT4), 17);
  EXPECT_EQ(static_cast<int>(fb::TensorType::BFLOAT16), 18);
  EXPECT_EQ(static_cast<int>(fb::BuiltinOperator::PLACEHOLDER_FOR_GREATER_OP_CODES), 127);
  EXPECT_EQ(static_cast<int>(fb::ActivationFunctionType::SIGN_BIT), 5);
  EXPECT_STREQ(fb::ModelIdentifier(), "TFL3");
}

}  // namespace
}  // namespace detlite
