// What the ONNX writer puts in the file (read back with our own onnx.proto),
// and what it refuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "detlite/onnx/onnx.pb.h"
#include "exporters/onnx/onnx_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"

namespace detlite {
namespace {

StatusOr<ir::Model> Real(const std::string& name) {
  return ReadTfliteFile(testing::DataPath("tflite/" + name));
}

TEST(OnnxWriterTest, Fp16SsdBecomesPlainFloatGraphWithTheSameInterface) {
  auto model = Real("ssd_mobilenetv2_oidv4_fp16.tflite");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto bytes = WriteOnnxBuffer(*model);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(*bytes));
  ASSERT_EQ(proto.opset_import_size(), 1);
  EXPECT_EQ(proto.opset_import(0).version(), 13);
  const onnx::GraphProto& g = proto.graph();

  const ir::Subgraph& sg = model->subgraphs[0];
  ASSERT_EQ(g.input_size(), static_cast<int>(sg.inputs.size()));
  ASSERT_EQ(g.output_size(), static_cast<int>(sg.outputs.size()));
  auto same = [&](const onnx::ValueInfoProto& vi, int32_t t) {
    const ir::Tensor& info = sg.tensors[static_cast<size_t>(t)];
    EXPECT_EQ(vi.name(), info.name);
    const auto& dims = vi.type().tensor_type().shape().dim();
    ASSERT_EQ(dims.size(), info.shape.rank());
    for (int d = 0; d < info.shape.rank(); ++d) EXPECT_EQ(dims[d].dim_value(), info.shape.dim(d));
  };
  for (int i = 0; i < g.input_size(); ++i) same(g.input(i), sg.inputs[static_cast<size_t>(i)]);
  for (int i = 0; i < g.output_size(); ++i) same(g.output(i), sg.outputs[static_cast<size_t>(i)]);

  int convs = 0, transposes = 0;
  for (const onnx::NodeProto& n : g.node()) {
    EXPECT_NE(n.op_type(), "DequantizeLinear");
    EXPECT_NE(n.op_type(), "Cast");
    convs += n.op_type() == "Conv";
    transposes += n.op_type() == "Transpose";
  }
  int ir_convs = 0;
  for (const ir::Operator& op : sg.ops) {
    ir_convs += op.kind == ir::OpKind::kConv2D || op.kind == ir::OpKind::kDepthwiseConv2D;
  }
  EXPECT_EQ(convs, ir_convs);
  // One into NCHW after the input, one back before each box-predictor
  // Reshape: far fewer than one per conv.
  EXPECT_GE(transposes, 1);
  EXPECT_LT(transposes, convs / 2);
  for (const onnx::TensorProto& t : g.initializer()) {
    EXPECT_TRUE(t.data_type() == onnx::ELEM_FLOAT || t.data_type() == onnx::ELEM_INT64) << t.name();
  }
}

TEST(OnnxWriterTest, QuantizedModelIsRefusedAndNothingIsWritten) {
  auto model = Real("coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string path = testing::TempDir() + "/quant.onnx";
  Status s = WriteOnnxFile(*model, path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("float models only"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path));
}

// A float graph ending in TFLite's detection op, built by hand (every real
// model with the op is quantized).
TEST(OnnxWriterTest, DetectionPostprocessIsRefusedNamingTheOp) {
  ir::Model m;
  ir::Subgraph& sg = m.subgraphs.emplace_back();
  auto tensor = [&](const char* name, Shape shape) {
    ir::Tensor t;
    t.name = name;
    t.shape = shape;
    return sg.AddTensor(t);
  };
  const int32_t boxes = tensor("boxes", {1, 10, 4});
  const int32_t scores = tensor("scores", {1, 10, 3});
  const int32_t relu = tensor("scores_relu", {1, 10, 3});
  std::vector<int32_t> outs;
  for (const char* n : {"det_boxes", "det_classes", "det_scores", "num"}) outs.push_back(tensor(n, {1, 10}));
  sg.inputs = {boxes, scores};
  ir::Operator r;
  r.kind = ir::OpKind::kRelu;
  r.inputs = {scores};
  r.outputs = {relu};
  sg.ops.push_back(r);
  ir::Operator op;
  op.kind = ir::OpKind::kCustom;
  op.custom_code = "TFLite_Detection_PostProcess";
  op.inputs = {boxes, relu};
  op.outputs = outs;
  sg.ops.push_back(op);
  sg.outputs = outs;
  auto bytes = WriteOnnxBuffer(m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(bytes.status().message().find("op 1 (TFLite_Detection_PostProcess)"), std::string::npos)
      << bytes.status().message();
}

// Bytes that do not fit the declared shape are an error naming the tensor,
// never a read past the end.
TEST(OnnxWriterTest, ConstantOfTheWrongSizeIsAnError) {
  auto model = Real("face_detection_short_range.tflite");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ir::Subgraph& sg = model->subgraphs[0];
  std::string victim;
  for (ir::Tensor& t : sg.tensors) {
    if (t.data && t.dtype == DType::kFloat16 && t.shape.rank() == 4) {
      auto shorter = std::make_shared<ir::Bytes>(*t.data);
      shorter->resize(shorter->size() - 2);
      t.data = shorter;
      victim = t.name;
      break;
    }
  }
  ASSERT_FALSE(victim.empty());
  auto bytes = WriteOnnxBuffer(*model);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bytes.status().message().find(victim), std::string::npos) << bytes.status().message();
}

}  // namespace
}  // namespace detlite
