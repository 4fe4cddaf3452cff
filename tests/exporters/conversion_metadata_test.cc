// min_runtime_version and CONVERSION_METADATA as TFLite records them.
#include <gtest/gtest.h>

#include "ir/builder.h"
#include "exporters/tflite/conversion_metadata.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"

namespace detlite::tflite_export {
namespace {

TEST(ModelMetadataTest, ConversionModesRoundTrip) {
  const auto bytes = ConversionMetadataBytes({kPtqFullInteger});
  EXPECT_EQ(ReadConversionModes(bytes), std::vector<int32_t>({1003}));
  EXPECT_EQ(ReadConversionModes(ConversionMetadataBytes({kPtqFloat16, kPtqInt16})),
            std::vector<int32_t>({1001, 1004}));
  EXPECT_TRUE(ReadConversionModes({1, 2, 3}).empty());
  std::vector<uint8_t> broken = bytes;
  broken[0] = 0xff;  // root offset out of range
  EXPECT_TRUE(ReadConversionModes(broken).empty());
}

TEST(ModelMetadataTest, MinRuntimeVersionFollowsOpVersions) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kInt8, {1, 4}, ir::PerTensorQuant(0.1f, 0));
  int32_t y = b.Op(ir::OpKind::kReshape, {x}, "y", DType::kInt8, {4}, ir::ReshapeOptions{{4}},
                   ir::PerTensorQuant(0.1f, 0));
  int32_t z = b.Op(ir::OpKind::kDequantize, {y}, "z", DType::kFloat32, {4});
  b.Output(z);
  // DEQUANTIZE of int8 is version 2: runtime 1.14.0.
  EXPECT_EQ(MinRuntimeVersion(m), "1.14.0");
  EXPECT_TRUE(MetadataToWrite(m).empty());  // nothing recorded: nothing added
  m.optimizations = {ir::Optimization::kPtqFullInteger};
  // Written by the exporter, read back from the file.
  auto bytes = WriteTfliteBuffer(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = ReadTfliteBuffer(bytes->data(), bytes->size(), "m.tflite");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const ir::Metadata* v = back->FindMetadata("min_runtime_version");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->data.size(), 16u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(v->data.data())), "1.14.0");
  const ir::Metadata* c = back->FindMetadata("CONVERSION_METADATA");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(ReadConversionModes(c->data), std::vector<int32_t>({kPtqFullInteger}));
}

}  // namespace
}  // namespace detlite::tflite_export
