#include "exporters/tflite/conversion_metadata.h"

#include <flatbuffers/flatbuffers.h>

#include <map>
#include <utility>

#include "exporters/tflite/op_version.h"

namespace detlite::tflite_export {
namespace {

using ir::OpKind;

// From TFLite's runtime_version.cc, for the ops and versions the
// quantizers produce or keep.
const std::map<std::pair<OpKind, int>, std::string>& VersionTable() {
  static const auto* table = new std::map<std::pair<OpKind, int>, std::string>{
      {{OpKind::kAdd, 1}, "1.5.0"}, {{OpKind::kAdd, 2}, "1.14.0"}, {{OpKind::kAdd, 3}, "2.4.0"},
      {{OpKind::kAveragePool2D, 1}, "1.5.0"}, {{OpKind::kAveragePool2D, 2}, "1.14.0"},
      {{OpKind::kConcatenation, 1}, "1.5.0"}, {{OpKind::kConcatenation, 2}, "1.14.0"},
      {{OpKind::kConv2D, 1}, "1.5.0"}, {{OpKind::kConv2D, 2}, "1.14.0"},
      {{OpKind::kConv2D, 3}, "1.14.0"}, {{OpKind::kConv2D, 4}, "2.3.0"},
      {{OpKind::kConv2D, 5}, "2.4.0"}, {{OpKind::kDepthwiseConv2D, 6}, "2.3.0"},
      {{OpKind::kFullyConnected, 3}, "1.14.0"}, {{OpKind::kFullyConnected, 9}, "2.3.0"},
      {{OpKind::kDepthwiseConv2D, 1}, "1.5.0"}, {{OpKind::kDepthwiseConv2D, 2}, "1.12.0"},
      {{OpKind::kDepthwiseConv2D, 3}, "1.14.0"}, {{OpKind::kDepthwiseConv2D, 4}, "2.2.0"},
      {{OpKind::kDequantize, 1}, "1.13.1"}, {{OpKind::kDequantize, 2}, "1.14.0"},
      {{OpKind::kDequantize, 3}, "1.15.0"}, {{OpKind::kDensify, 1}, "2.2.0"},
      {{OpKind::kFullyConnected, 1}, "1.5.0"}, {{OpKind::kFullyConnected, 4}, "1.14.0"},
      {{OpKind::kLogistic, 1}, "1.14.0"}, {{OpKind::kLogistic, 2}, "1.14.0"},
      {{OpKind::kMaxPool2D, 1}, "1.5.0"}, {{OpKind::kMaxPool2D, 2}, "1.14.0"},
      {{OpKind::kMul, 1}, "1.5.0"}, {{OpKind::kMul, 2}, "1.14.0"},
      {{OpKind::kPad, 1}, "1.5.0"}, {{OpKind::kPad, 2}, "1.14.0"},
      {{OpKind::kPrelu, 1}, "1.8.0"}, {{OpKind::kQuantize, 1}, "1.14.0"},
      {{OpKind::kQuantize, 2}, "1.15.0"}, {{OpKind::kRelu, 1}, "1.5.0"},
      {{OpKind::kRelu, 2}, "2.1.0"}, {{OpKind::kRelu6, 1}, "1.5.0"},
      {{OpKind::kRelu6, 2}, "1.14.0"}, {{OpKind::kReshape, 1}, "1.5.0"},
      {{OpKind::kResizeBilinear, 1}, "1.7.0"}, {{OpKind::kResizeBilinear, 2}, "1.14.0"},
      {{OpKind::kResizeBilinear, 3}, "2.2.0"}, {{OpKind::kSoftmax, 1}, "1.5.0"},
      {{OpKind::kSoftmax, 2}, "1.14.0"}, {{OpKind::kTanh, 1}, "1.14.0"},
      {{OpKind::kTanh, 2}, "1.14.0"},
  };
  return *table;
}

// "1.14.0" < "2.2.0", numerically per component.
bool VersionLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    long x = 0, y = 0;
    while (i < a.size() && a[i] != '.') x = x * 10 + (a[i++] - '0');
    while (j < b.size() && b[j] != '.') y = y * 10 + (b[j++] - '0');
    if (x != y) return x < y;
    ++i, ++j;
  }
  return false;
}

// Field slots (vtable offsets 4 + 2 * id) of conversion_metadata.fbs.
constexpr flatbuffers::voffset_t kMetaOptions = 6;     // ConversionMetadata.options (id 1)
constexpr flatbuffers::voffset_t kMetaEnvironment = 4;  // ConversionMetadata.environment (id 0)
constexpr flatbuffers::voffset_t kEnvTfVersion = 4;     // Environment.tensorflow_version (id 0)
constexpr flatbuffers::voffset_t kOptModes = 4;         // ConversionOptions.model_optimization_modes (id 0)

}  // namespace

std::string MinRuntimeVersion(const ir::Model& model) {
  std::string best;
  for (const ir::Subgraph& sg : model.subgraphs) {
    for (const ir::Operator& op : sg.ops) {
      const int v = std::max(op.version, RequiredOpVersion(sg, op));
      auto it = VersionTable().find({op.kind, v});
      if (it != VersionTable().end() && (best.empty() || VersionLess(best, it->second))) {
        best = it->second;
      }
    }
  }
  return best;
}

std::vector<uint8_t> ConversionMetadataBytes(const std::vector<int32_t>& modes) {
  flatbuffers::FlatBufferBuilder b;
  const auto modes_vec = b.CreateVector(modes);
  const auto version = b.CreateString("detlite");
  const flatbuffers::uoffset_t env_start = b.StartTable();
  b.AddOffset(kEnvTfVersion, version);
  const flatbuffers::Offset<void> env(b.EndTable(env_start));
  const flatbuffers::uoffset_t opt_start = b.StartTable();
  b.AddOffset(kOptModes, modes_vec);
  const flatbuffers::Offset<void> options(b.EndTable(opt_start));
  const flatbuffers::uoffset_t root = b.StartTable();
  b.AddOffset(kMetaEnvironment, env);
  b.AddOffset(kMetaOptions, options);
  b.Finish(flatbuffers::Offset<void>(b.EndTable(root)));
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

std::vector<int32_t> ReadConversionModes(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < 8) return {};
  flatbuffers::Verifier v(bytes.data(), bytes.size());
  const flatbuffers::uoffset_t root_offset = flatbuffers::ReadScalar<flatbuffers::uoffset_t>(bytes.data());
  if (root_offset >= bytes.size() || root_offset % 4 != 0) return {};
  const auto* root = flatbuffers::GetRoot<flatbuffers::Table>(bytes.data());
  if (!root->VerifyTableStart(v) || !root->VerifyOffset(v, kMetaOptions)) return {};
  const auto* options = root->GetPointer<const flatbuffers::Table*>(kMetaOptions);
  if (options == nullptr || !options->VerifyTableStart(v) ||
      !options->VerifyOffset(v, kOptModes)) {
    return {};
  }
  const auto* modes = options->GetPointer<const flatbuffers::Vector<int32_t>*>(kOptModes);
  if (modes == nullptr || !v.VerifyVector(modes)) return {};
  return std::vector<int32_t>(modes->begin(), modes->end());
}

int32_t ConversionMode(ir::Optimization optimization) {
  switch (optimization) {
    case ir::Optimization::kPtqFloat16: return kPtqFloat16;
    case ir::Optimization::kPtqDynamicRange: return kPtqDynamicRange;
    case ir::Optimization::kPtqFullInteger: return kPtqFullInteger;
    case ir::Optimization::kPtqInt16: return kPtqInt16;
  }
  return 0;
}

std::vector<ir::Metadata> MetadataToWrite(const ir::Model& model) {
  std::vector<ir::Metadata> out = model.metadata;
  if (model.optimizations.empty()) return out;
  auto set = [&out](const std::string& name, std::vector<uint8_t> data) {
    for (ir::Metadata& m : out) {
      if (m.name == name) {
        m.data = std::move(data);
        return;
      }
    }
    out.push_back({name, std::move(data)});
  };
  std::string version = MinRuntimeVersion(model);
  if (!version.empty() && version.size() < 16) {
    std::vector<uint8_t> padded(16, 0);
    std::copy(version.begin(), version.end(), padded.begin());
    set("min_runtime_version", std::move(padded));
  }
  std::vector<int32_t> modes;
  for (ir::Optimization o : model.optimizations) modes.push_back(ConversionMode(o));
  set("CONVERSION_METADATA", ConversionMetadataBytes(modes));
  return out;
}

}  // namespace detlite::tflite_export
