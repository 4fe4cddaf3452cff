// Versioning rules, ported as facts (which type or option needs which
// version) from TFLite's published rules for the ops detlite models. Ops
// without a rule here stay at version 1 unless the IR records more.
#include "exporters/tflite/op_version.h"

#include <algorithm>
#include <variant>

namespace detlite::tflite_export {
namespace {

using ir::OpKind;

// The op's view of its tensors, safe for absent (-1) or bad indices.
class Sig {
 public:
  Sig(const ir::Subgraph& sg, const ir::Operator& op) : sg_(sg), op_(op) {}

  const ir::Tensor* In(size_t i) const { return Get(op_.inputs, i); }
  const ir::Tensor* Out(size_t i) const { return Get(op_.outputs, i); }
  bool InIs(size_t i, DType t) const { return In(i) && In(i)->dtype == t; }
  bool OutIs(size_t i, DType t) const { return Out(i) && Out(i)->dtype == t; }
  bool InAny(size_t i, std::initializer_list<DType> ts) const {
    return In(i) && std::find(ts.begin(), ts.end(), In(i)->dtype) != ts.end();
  }
  int InRank(size_t i) const { return In(i) ? In(i)->shape.rank() : 0; }
  size_t NumInputs() const { return op_.inputs.size(); }
  bool InQuantized(size_t i) const { return In(i) && In(i)->quant.has_scale(); }
  bool InPerChannel(size_t i) const { return In(i) && In(i)->quant.per_axis(); }
  bool OutPerChannel(size_t i) const { return Out(i) && Out(i)->quant.per_axis(); }
  // Binary ops whose inputs differ in shape need the broadcasting kernel.
  bool Broadcasts() const {
    return In(0) && In(1) && In(0)->shape != In(1)->shape;
  }
  int MaxInputRank() const {
    int r = 0;
    for (size_t i = 0; i < NumInputs(); ++i) r = std::max(r, InRank(i));
    return r;
  }
  // int8 in/out with an int8 (or int4) filter: the full-integer kernels.
  bool Types(DType in, DType filter, DType out) const {
    return InIs(0, in) && InIs(1, filter) && OutIs(0, out);
  }
  template <typename T>
  const T* Options() const { return std::get_if<T>(&op_.options); }

 private:
  const ir::Tensor* Get(const std::vector<int32_t>& v, size_t i) const {
    if (i >= v.size() || v[i] < 0 ||
        static_cast<size_t>(v[i]) >= sg_.tensors.size()) {
      return nullptr;
    }
    return &sg_.tensors[static_cast<size_t>(v[i])];
  }
  const ir::Subgraph& sg_;
  const ir::Operator& op_;
};

constexpr DType kF32 = DType::kFloat32, kI8 = DType::kInt8,
                kI16 = DType::kInt16, kI4 = DType::kInt4;

int Conv2D(const Sig& s) {
  const ir::Tensor* in = s.In(0);
  const ir::Tensor* filter = s.In(1);
  // Grouped convolution: the filter covers a fraction of the input channels.
  if (in && filter && in->shape.rank() == 4 && filter->shape.rank() == 4 &&
      filter->shape.dim(3) > 0 && in->shape.dim(3) != filter->shape.dim(3)) {
    return 6;
  }
  if (s.Types(kI16, kI16, kI16)) return 4;
  if (s.Types(kI8, kI8, kI8)) return 3;
  if (s.Types(kI8, kI4, kI8)) return 7;
  if (s.Types(kF32, kI8, kF32)) return s.InPerChannel(1) ? 5 : 2;
  return 1;
}

int DepthwiseConv2D(const Sig& s) {
  if (s.Types(kI16, kI16, kI16)) return 5;
  if (s.Types(kF32, kI8, kF32)) return s.InPerChannel(1) ? 6 : 4;
  if (s.Types(kI8, kI8, kI8)) return 3;
  if (s.Types(kI8, kI4, kI8)) return 7;
  const auto* o = s.Options<ir::DepthwiseConv2DOptions>();
  if (o && (o->dilation_w != 1 || o->dilation_h != 1)) return 2;
  return 1;
}

int FullyConnected(const Sig& s) {
  const auto* o = s.Options<ir::FullyConnectedOptions>();
  if (s.Types(kF32, kI8, kF32) && s.InPerChannel(1)) return 12;
  if (s.In(1) && s.In(1)->sparsity) return 8;
  if (s.Types(kI16, kI16, kI16)) return 7;
  if (s.NumInputs() == 2) return 6;
  if (o && o->keep_num_dims) return 5;
  if (s.Types(kI8, kI8, kI8)) return 4;
  if (s.Types(kI8, kI4, kI8)) return 10;
  if (s.Types(kF32, kI8, kF32)) {
    return (o && o->asymmetric_quantize_inputs) ? 9 : 3;
  }
  if (o && o->weights_format == 1) return 2;
  return 1;
}

int TransposeConv(const Sig& s) {
  const auto* o = s.Options<ir::TransposeConvOptions>();
  if (o && o->activation != ir::Activation::kNone) return 4;
  if (s.NumInputs() == 4 && s.In(3) != nullptr) return 3;
  if (s.InIs(1, kI8)) return 2;
  return 1;
}

int Add(const Sig& s) {
  if (s.InIs(0, kI16) && !s.InQuantized(0)) return 5;
  if (s.InIs(0, DType::kInt64)) return 4;
  const auto* o = s.Options<ir::ArithmeticOptions>();
  if (s.InIs(0, kI16) && s.OutIs(0, kI16) && o && !o->pot_scale_int16) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

int Sub(const Sig& s) {
  const auto* o = s.Options<ir::ArithmeticOptions>();
  if (s.InIs(0, kI16) && s.OutIs(0, kI16) && o && !o->pot_scale_int16) return 5;
  if (s.InIs(0, DType::kInt64)) return 4;
  if (s.Broadcasts() && s.MaxInputRank() > 4) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

int Mul(const Sig& s) {
  if ((s.InIs(0, kI16) && !s.InQuantized(0)) || s.InIs(0, DType::kUInt32)) return 7;
  if (s.InIs(0, DType::kComplex64)) return 6;
  if (s.InIs(0, DType::kInt64)) return 5;
  if (s.InIs(0, kI16)) return 4;
  // A rescale factor >= 1 needs the kernel that shifts left.
  if (s.In(0) && s.In(1) && s.Out(0) && s.In(0)->quant.has_scale() &&
      s.In(1)->quant.has_scale() && s.Out(0)->quant.has_scale()) {
    const double a = s.In(0)->quant.scale[0], b = s.In(1)->quant.scale[0],
                 c = s.Out(0)->quant.scale[0];
    if (a != 0 && b != 0 && c != 0 && a * b / c >= 1.0) return 3;
  }
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

int StridedSlice(const Sig& s) {
  const auto* o = s.Options<ir::StridedSliceOptions>();
  if (o && o->offset) return 8;
  if (s.InIs(0, DType::kUInt32)) return 7;
  if (o && (o->ellipsis_mask != 0 || o->new_axis_mask != 0)) return 6;
  if (s.InIs(0, DType::kString)) return 5;
  if (s.InRank(0) > 4) return 4;
  if (s.InIs(0, DType::kBool)) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

int Cast(const Sig& s) {
  auto either = [&](DType t) { return s.InIs(0, t) || s.OutIs(0, t); };
  if (either(DType::kBFloat16)) return 7;
  if (s.InIs(0, kI4) && s.OutIs(0, kF32)) return 6;
  if (either(DType::kFloat64) || either(DType::kFloat16)) return 5;
  if (either(DType::kUInt16)) return 4;
  if (either(kI8)) return 3;
  if (either(DType::kUInt32)) return 2;
  return 1;
}

int Resize(const Sig& s, bool nearest) {
  if (s.InIs(0, kI16)) return 4;
  const auto* o = s.Options<ir::ResizeOptions>();
  if (o && (o->half_pixel_centers || (nearest && o->align_corners))) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

int Dequantize(const Sig& s) {
  if (s.InIs(0, kI4)) return 6;
  if (s.InAny(0, {kI16, DType::kFloat16})) return 3;
  if (s.InIs(0, kI8)) return s.InPerChannel(0) ? 5 : 2;
  return 1;
}

int Quantize(const Sig& s) {
  if (s.InIs(0, kI4) || s.OutIs(0, kI4)) return 4;
  if (s.OutPerChannel(0)) return 3;
  if (s.OutIs(0, kI16)) return 2;
  return 1;
}

// int8 = 2, int16 in and out = 3 (pools, tanh, logistic).
int Int8Or16InOut(const Sig& s) {
  if (s.InIs(0, kI16) && s.OutIs(0, kI16)) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

// int8 = 2, int16 = 3 (softmax, mean, relu6, ...).
int Int8Or16(const Sig& s) {
  if (s.InIs(0, kI16)) return 3;
  if (s.InIs(0, kI8)) return 2;
  return 1;
}

}  // namespace

int32_t RequiredOpVersion(const ir::Subgraph& sg, const ir::Operator& op) {
  const Sig s(sg, op);
  switch (op.kind) {
    case OpKind::kConv2D: return Conv2D(s);
    case OpKind::kDepthwiseConv2D: return DepthwiseConv2D(s);
    case OpKind::kFullyConnected: return FullyConnected(s);
    case OpKind::kTransposeConv: return TransposeConv(s);
    case OpKind::kAdd: return Add(s);
    case OpKind::kSub: return Sub(s);
    case OpKind::kMul: return Mul(s);
    case OpKind::kDiv: return s.Broadcasts() && s.MaxInputRank() > 4 ? 2 : 1;
    case OpKind::kStridedSlice: return StridedSlice(s);
    case OpKind::kCast: return Cast(s);
    case OpKind::kResizeBilinear: return Resize(s, /*nearest=*/false);
    case OpKind::kResizeNearestNeighbor: return Resize(s, /*nearest=*/true);
    case OpKind::kDequantize: return Dequantize(s);
    case OpKind::kQuantize: return Quantize(s);
    case OpKind::kAveragePool2D:
    case OpKind::kMaxPool2D:
    case OpKind::kTanh:
    case OpKind::kLogistic: return Int8Or16InOut(s);
    case OpKind::kSoftmax:
    case OpKind::kMean:
    case OpKind::kMirrorPad:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
    case OpKind::kRelu6:
    case OpKind::kRsqrt: return Int8Or16(s);
    case OpKind::kLess:
    case OpKind::kGreaterEqual: return Int8Or16(s);
    case OpKind::kRelu:
      if (s.InIs(0, kI16)) return 3;
      return s.InAny(0, {kI8, DType::kUInt8}) ? 2 : 1;
    case OpKind::kPad:
    case OpKind::kPadv2:
      if (s.InRank(0) > 4) return 4;
      return Int8Or16(s);
    case OpKind::kConcatenation:
      if (s.InIs(0, DType::kUInt32)) return 4;
      return Int8Or16(s);
    case OpKind::kMaximum:
    case OpKind::kMinimum:
      if (s.InIs(0, kI16) && s.OutIs(0, kI16)) return 4;
      if (s.Broadcasts() && s.MaxInputRank() > 4) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kTranspose:
      if (s.InRank(0) > 5) return 6;
      if (s.InIs(0, kI16)) return 5;
      if (s.InRank(0) > 4) return 4;
      if (s.InIs(0, DType::kBool)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kSpaceToBatchNd:
    case OpKind::kBatchToSpaceNd:
      if (s.InIs(0, kI16)) return 4;
      if (s.In(0) && s.InRank(0) != 4) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kGather: {
      if (s.InIs(0, kI4)) return 7;
      if (s.InIs(1, kI16)) return 6;
      const auto* o = s.Options<ir::GatherOptions>();
      if (o && o->batch_dims != 0) return 5;
      if (s.InIs(0, kI16)) return 4;
      if (s.InIs(0, DType::kBool)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    }
    case OpKind::kSplit:
      if (s.InIs(1, kI16)) return 4;
      if (s.InIs(1, DType::kInt32)) return 3;
      return s.InIs(1, kI8) ? 2 : 1;
    case OpKind::kSlice:
      if (s.InIs(0, DType::kUInt32)) return 6;
      if (s.InRank(0) > 4) return 5;
      if (s.InIs(0, kI16)) return 4;
      if (s.InIs(0, DType::kString)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kPack:
      if (s.InIs(0, kI8)) return 2;
      if (s.InIs(0, kI16) && s.OutIs(0, kI16)) return 3;
      return s.InIs(0, DType::kUInt32) ? 4 : 1;
    case OpKind::kUnpack:
      if (s.InAny(0, {kI8, DType::kUInt8})) return 2;
      if (s.InIs(0, DType::kBool)) return 3;
      return s.InIs(0, kI16) && s.OutIs(0, kI16) ? 4 : 1;
    case OpKind::kArgMax:
    case OpKind::kArgMin:
      if (s.InIs(0, DType::kBool)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kL2Normalization: return s.OutIs(0, kI8) ? 2 : 1;
    case OpKind::kLeakyRelu: return s.InIs(0, kI16) ? 2 : 1;
    case OpKind::kBatchMatmul: {
      if (s.InIs(0, kI16)) return 3;
      if (s.InIs(0, kI8)) return 2;
      const auto* o = s.Options<ir::BatchMatMulOptions>();
      return s.Types(kF32, kI8, kF32) && o && o->asymmetric_quantize_inputs ? 4 : 1;
    }
    case OpKind::kSpaceToDepth:
    case OpKind::kDepthToSpace:
    case OpKind::kSplitV:
    case OpKind::kSum:
    case OpKind::kLogSoftmax:
    case OpKind::kGreater:
    case OpKind::kLessEqual:
    case OpKind::kSquaredDifference: return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kExp:
    case OpKind::kLog:
    case OpKind::kReduceProd: return s.InAny(0, {kI8, kI16}) ? 2 : 1;
    case OpKind::kGelu: return s.InAny(0, {kI8, DType::kUInt8}) ? 2 : 1;
    case OpKind::kAbs:
      if (s.InIs(0, DType::kInt32)) return 5;
      if (s.InIs(0, kI16)) return s.InQuantized(0) ? 3 : 4;
      return s.InAny(0, {kI8, DType::kUInt8}) ? 2 : 1;
    case OpKind::kFloorDiv:
      if (s.InAny(0, {kI16, kI8})) return 3;
      return s.InIs(0, kF32) ? 2 : 1;
    case OpKind::kFloorMod: return s.InAny(0, {kI16, kI8}) ? 2 : 1;
    case OpKind::kTile:
      if (s.InIs(0, kI8)) return 3;
      return s.InIs(0, DType::kString) ? 2 : 1;
    case OpKind::kSqueeze: return s.InIs(0, DType::kString) ? 2 : 1;
    case OpKind::kEqual:
      if (s.InIs(0, kI16)) return 4;
      if (s.InIs(0, DType::kString)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kNotEqual:
      if (s.InIs(0, DType::kString)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kFill:
      if (s.InIs(1, DType::kFloat16)) return 4;
      if (s.InAny(1, {kI8, kI16})) return 3;
      return s.InAny(1, {DType::kBool, DType::kString}) ? 2 : 1;
    case OpKind::kRange: return s.InIs(0, DType::kInt64) ? 2 : 1;
    case OpKind::kSelect:
      if (s.InIs(0, DType::kUInt32)) return 4;
      if (s.InRank(0) == 5 || s.InRank(1) == 5 || s.InRank(2) == 5) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kSelectV2: return s.InIs(0, DType::kUInt32) ? 2 : 1;
    case OpKind::kTopkV2:
      if (s.InIs(0, kI16) || s.InIs(1, kI16) || s.OutIs(1, kI16)) return 3;
      return s.InIs(0, kI8) ? 2 : 1;
    case OpKind::kBroadcastTo:
      // Version 1 was withdrawn when the op changed code.
      return s.InAny(0, {kI8, kI16}) ? 3 : 2;
    case OpKind::kWhere: return s.InIs(0, DType::kBool) ? 1 : 2;
    case OpKind::kSign: return s.InIs(0, DType::kInt32) ? 2 : 1;
    case OpKind::kGatherNd:
      if (s.InIs(0, DType::kBool)) return 5;
      if (s.InIs(1, kI16)) return 4;
      if (s.InIs(0, kI16)) return 3;
      return s.InIs(0, DType::kString) ? 2 : 1;
    case OpKind::kReverseV2:
      if (s.InIs(0, kI8)) return 3;
      return s.InIs(0, DType::kBool) ? 2 : 1;
    case OpKind::kSparseToDense:
      if (s.InAny(2, {kI8, DType::kUInt8})) return 3;
      return s.InIs(2, DType::kInt64) ? 2 : 1;
    default: return 1;
  }
}

}  // namespace detlite::tflite_export
