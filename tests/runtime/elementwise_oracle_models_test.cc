// Every elementwise-family op of the real detectors in shared/data/tflite,
// cut out of its model with its real shapes, options, quantization and
// constants, run on random inputs in detlite and in the real TFLite runtime.
// Ops that repeat with the same signature are run once, and at most four
// signatures per op kind (the rest differ only in size).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "elementwise_oracle_util.h"
#include "importers/tflite/tflite_reader.h"
#include "ir/op_kind.h"
#include "support/paths.h"

namespace detlite {
namespace {

using elementwise_oracle::ExpectMatchesTflite;
using elementwise_oracle::RandomInputs;

bool InFamily(ir::OpKind k) {
  switch (k) {
    case ir::OpKind::kAdd:
    case ir::OpKind::kSub:
    case ir::OpKind::kMul:
    case ir::OpKind::kDiv:
    case ir::OpKind::kMaximum:
    case ir::OpKind::kMinimum:
    case ir::OpKind::kSquaredDifference:
    case ir::OpKind::kLogistic:
    case ir::OpKind::kTanh:
    case ir::OpKind::kRelu:
    case ir::OpKind::kRelu6:
    case ir::OpKind::kReluN1To1:
    case ir::OpKind::kRelu0To1:
    case ir::OpKind::kPrelu:
    case ir::OpKind::kLeakyRelu:
    case ir::OpKind::kHardSwish:
    case ir::OpKind::kElu:
    case ir::OpKind::kExp:
    case ir::OpKind::kSqrt:
    case ir::OpKind::kRsqrt:
    case ir::OpKind::kAbs:
    case ir::OpKind::kNeg:
    case ir::OpKind::kSquare:
    case ir::OpKind::kSoftmax:
    case ir::OpKind::kMaxPool2D:
    case ir::OpKind::kAveragePool2D:
    case ir::OpKind::kMean:
    case ir::OpKind::kSum:
      return true;
    default:
      return false;
  }
}

// A model holding only `op`: its constant inputs stay constants, every other
// input becomes a graph input.
ir::Model ExtractOp(const ir::Subgraph& src, const ir::Operator& op) {
  ir::Model m;
  m.subgraphs.emplace_back();
  ir::Subgraph& sg = m.subgraphs[0];
  ir::Operator copy = op;
  auto take = [&](int32_t idx) {
    ir::Tensor t = src.tensors[static_cast<size_t>(idx)];
    t.shape_signature.clear();
    return sg.AddTensor(std::move(t));
  };
  for (int32_t& in : copy.inputs) {
    if (in < 0) continue;
    const bool constant = src.tensors[static_cast<size_t>(in)].is_constant();
    in = take(in);
    if (!constant) sg.inputs.push_back(in);
  }
  for (int32_t& out : copy.outputs) {
    out = take(out);
    sg.outputs.push_back(out);
  }
  copy.intermediates.clear();
  sg.ops.push_back(std::move(copy));
  return m;
}

std::string Signature(const ir::Subgraph& sg, const ir::Operator& op) {
  std::string s(ir::OpKindName(op.kind));
  for (int32_t idx : op.inputs) {
    if (idx < 0) continue;
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(idx)];
    s += " " + std::string(DTypeName(t.dtype)) + t.shape.ToString() +
         (t.is_constant() ? "c" : "");
  }
  s += " opts" + std::to_string(op.options.index());
  return s;
}

void CheckModelOps(const std::string& file) {
  auto model = ReadTfliteFile(testing::DataPath("tflite/" + file));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  std::set<std::string> seen;
  std::map<ir::OpKind, int> per_kind;
  int checked = 0;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    if (!InFamily(op.kind)) continue;
    const std::string sig = Signature(sg, op);
    if (per_kind[op.kind] >= 4 || !seen.insert(sig).second) continue;
    ++per_kind[op.kind];
    const ir::Model one = ExtractOp(sg, op);
    ExpectMatchesTflite(one, RandomInputs(one, static_cast<uint32_t>(i)),
                        file + " op " + std::to_string(i) + " " + sig);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(ElementwiseOracleModelsTest, FaceDetectionShortRange) {
  CheckModelOps("face_detection_short_range.tflite");
}
TEST(ElementwiseOracleModelsTest, FaceDetectionFullRange) {
  CheckModelOps("face_detection_full_range.tflite");
}
TEST(ElementwiseOracleModelsTest, FaceDetectionFullRangeSparse) {
  CheckModelOps("face_detection_full_range_sparse.tflite");
}
TEST(ElementwiseOracleModelsTest, PalmDetectionLite) {
  CheckModelOps("palm_detection_lite.tflite");
}
TEST(ElementwiseOracleModelsTest, SsdMobilenetV2Oidv4Fp16) {
  CheckModelOps("ssd_mobilenetv2_oidv4_fp16.tflite");
}
TEST(ElementwiseOracleModelsTest, CocoSsdMobilenetV1QuantLogistic) {
  CheckModelOps("coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite");
}
TEST(ElementwiseOracleModelsTest, HalfPlusTwo) {
  CheckModelOps("half_plus_two.tflite");
}

}  // namespace
}  // namespace detlite
