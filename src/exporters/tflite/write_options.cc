// IR options to the builtin options union. An IR options type shared by
// several ops (ArithmeticOptions for ADD/SUB/MUL/DIV, ...) becomes the table
// of the op's own kind; a type that does not belong to the kind is refused
// instead of being written where the runtime would misread it.
#include <initializer_list>
#include <variant>

#include "exporters/tflite/write_parts.h"

namespace detlite::tflite_export {
namespace {

using O = fb::BuiltinOptions;
using K = ir::OpKind;
using Result = std::pair<O, Offset<void>>;

class OptionsWriter {
 public:
  OptionsWriter(Builder& b, K kind, const std::string& who)
      : b_(b), kind_(kind), who_(who) {}

  Result operator()(const std::monostate&) { return {O::NONE, 0}; }
  Result operator()(const ir::Conv2DOptions& o) {
    Expect({K::kConv2D});
    return {O::Conv2DOptions,
            fb::CreateConv2DOptions(b_, Pad(o.padding), o.stride_w, o.stride_h,
                                    Act(o.activation), o.dilation_w,
                                    o.dilation_h).Union()};
  }
  Result operator()(const ir::DepthwiseConv2DOptions& o) {
    Expect({K::kDepthwiseConv2D});
    return {O::DepthwiseConv2DOptions,
            fb::CreateDepthwiseConv2DOptions(
                b_, Pad(o.padding), o.stride_w, o.stride_h, o.depth_multiplier,
                Act(o.activation), o.dilation_w, o.dilation_h).Union()};
  }
  Result operator()(const ir::TransposeConvOptions& o) {
    Expect({K::kTransposeConv});
    return {O::TransposeConvOptions,
            fb::CreateTransposeConvOptions(b_, Pad(o.padding), o.stride_w,
                                           o.stride_h, Act(o.activation))
                .Union()};
  }
  Result operator()(const ir::Pool2DOptions& o) {
    Expect({K::kAveragePool2D, K::kMaxPool2D, K::kL2Pool2D});
    return {O::Pool2DOptions,
            fb::CreatePool2DOptions(b_, Pad(o.padding), o.stride_w, o.stride_h,
                                    o.filter_w, o.filter_h, Act(o.activation))
                .Union()};
  }
  Result operator()(const ir::FullyConnectedOptions& o) {
    Expect({K::kFullyConnected});
    if (o.weights_format != 0 && o.weights_format != 1) Fail("weights_format");
    return {O::FullyConnectedOptions,
            fb::CreateFullyConnectedOptions(
                b_, Act(o.activation),
                static_cast<fb::FullyConnectedOptionsWeightsFormat>(o.weights_format),
                o.keep_num_dims, o.asymmetric_quantize_inputs).Union()};
  }
  Result operator()(const ir::ArithmeticOptions& o) {
    const auto act = Act(o.activation);
    switch (kind_) {
      case K::kAdd:
        return {O::AddOptions,
                fb::CreateAddOptions(b_, act, o.pot_scale_int16).Union()};
      case K::kSub:
        return {O::SubOptions,
                fb::CreateSubOptions(b_, act, o.pot_scale_int16).Union()};
      case K::kMul: return {O::MulOptions, fb::CreateMulOptions(b_, act).Union()};
      case K::kDiv: return {O::DivOptions, fb::CreateDivOptions(b_, act).Union()};
      default: Fail("ArithmeticOptions"); return {O::NONE, 0};
    }
  }
  Result operator()(const ir::ConcatenationOptions& o) {
    Expect({K::kConcatenation});
    return {O::ConcatenationOptions,
            fb::CreateConcatenationOptions(b_, o.axis, Act(o.activation)).Union()};
  }
  Result operator()(const ir::ReshapeOptions& o) {
    Expect({K::kReshape});
    return {O::ReshapeOptions,
            fb::CreateReshapeOptionsDirect(
                b_, o.new_shape.empty() ? nullptr : &o.new_shape).Union()};
  }
  Result operator()(const ir::SoftmaxOptions& o) {
    Expect({K::kSoftmax});
    return {O::SoftmaxOptions, fb::CreateSoftmaxOptions(b_, o.beta).Union()};
  }
  Result operator()(const ir::ResizeOptions& o) {
    if (kind_ == K::kResizeNearestNeighbor) {
      return {O::ResizeNearestNeighborOptions,
              fb::CreateResizeNearestNeighborOptions(b_, o.align_corners,
                                                     o.half_pixel_centers).Union()};
    }
    Expect({K::kResizeBilinear});
    return {O::ResizeBilinearOptions,
            fb::CreateResizeBilinearOptions(b_, o.align_corners,
                                            o.half_pixel_centers).Union()};
  }
  Result operator()(const ir::ReducerOptions& o) {
    Expect({K::kMean, K::kSum, K::kReduceMax, K::kReduceMin, K::kReduceProd,
            K::kReduceAny, K::kReduceAll});
    return {O::ReducerOptions, fb::CreateReducerOptions(b_, o.keep_dims).Union()};
  }
  Result operator()(const ir::StridedSliceOptions& o) {
    Expect({K::kStridedSlice});
    return {O::StridedSliceOptions,
            fb::CreateStridedSliceOptions(b_, o.begin_mask, o.end_mask,
                                          o.ellipsis_mask, o.new_axis_mask,
                                          o.shrink_axis_mask, o.offset).Union()};
  }
  Result operator()(const ir::SqueezeOptions& o) {
    Expect({K::kSqueeze});
    return {O::SqueezeOptions,
            fb::CreateSqueezeOptionsDirect(
                b_, o.squeeze_dims.empty() ? nullptr : &o.squeeze_dims).Union()};
  }
  Result operator()(const ir::PackOptions& o) {
    if (kind_ == K::kUnpack) {
      return {O::UnpackOptions,
              fb::CreateUnpackOptions(b_, o.count, o.axis).Union()};
    }
    Expect({K::kPack});
    return {O::PackOptions, fb::CreatePackOptions(b_, o.count, o.axis).Union()};
  }
  Result operator()(const ir::GatherOptions& o) {
    Expect({K::kGather});
    return {O::GatherOptions,
            fb::CreateGatherOptions(b_, o.axis, o.batch_dims).Union()};
  }
  Result operator()(const ir::CastOptions& o) {
    Expect({K::kCast});
    // Named types are stored even when they equal the field defaults, so a
    // reader can tell them from the empty table converters often write.
    b_.ForceDefaults(o.has_types);
    auto t = o.has_types ? fb::CreateCastOptions(b_, ToTensorType(o.in_type),
                                                 ToTensorType(o.out_type))
                         : fb::CreateCastOptions(b_);
    b_.ForceDefaults(false);
    return {O::CastOptions, t.Union()};
  }
  Result operator()(const ir::LeakyReluOptions& o) {
    Expect({K::kLeakyRelu});
    return {O::LeakyReluOptions, fb::CreateLeakyReluOptions(b_, o.alpha).Union()};
  }
  Result operator()(const ir::SplitOptions& o) {
    if (kind_ == K::kSplitV) {
      return {O::SplitVOptions, fb::CreateSplitVOptions(b_, o.num_splits).Union()};
    }
    Expect({K::kSplit});
    return {O::SplitOptions, fb::CreateSplitOptions(b_, o.num_splits).Union()};
  }
  Result operator()(const ir::BlockSizeOptions& o) {
    if (kind_ == K::kDepthToSpace) {
      return {O::DepthToSpaceOptions,
              fb::CreateDepthToSpaceOptions(b_, o.block_size).Union()};
    }
    Expect({K::kSpaceToDepth});
    return {O::SpaceToDepthOptions,
            fb::CreateSpaceToDepthOptions(b_, o.block_size).Union()};
  }
  Result operator()(const ir::ArgMinMaxOptions& o) {
    if (kind_ == K::kArgMin) {
      return {O::ArgMinOptions,
              fb::CreateArgMinOptions(b_, ToTensorType(o.output_type)).Union()};
    }
    Expect({K::kArgMax});
    return {O::ArgMaxOptions,
            fb::CreateArgMaxOptions(b_, ToTensorType(o.output_type)).Union()};
  }
  Result operator()(const ir::L2NormOptions& o) {
    Expect({K::kL2Normalization});
    return {O::L2NormOptions, fb::CreateL2NormOptions(b_, Act(o.activation)).Union()};
  }
  Result operator()(const ir::MirrorPadOptions& o) {
    Expect({K::kMirrorPad});
    return {O::MirrorPadOptions,
            fb::CreateMirrorPadOptions(b_, o.symmetric ? fb::MirrorPadMode::SYMMETRIC
                                                       : fb::MirrorPadMode::REFLECT)
                .Union()};
  }
  Result operator()(const ir::BatchMatMulOptions& o) {
    Expect({K::kBatchMatmul});
    return {O::BatchMatMulOptions,
            fb::CreateBatchMatMulOptions(b_, o.adj_x, o.adj_y,
                                         o.asymmetric_quantize_inputs).Union()};
  }
  Result operator()(const ir::GeluOptions& o) {
    Expect({K::kGelu});
    return {O::GeluOptions, fb::CreateGeluOptions(b_, o.approximate).Union()};
  }
  Result operator()(const ir::CumsumOptions& o) {
    Expect({K::kCumsum});
    return {O::CumsumOptions, fb::CreateCumsumOptions(b_, o.exclusive, o.reverse).Union()};
  }
  Result operator()(const ir::BucketizeOptions& o) {
    Expect({K::kBucketize});
    return {O::BucketizeOptions,
            fb::CreateBucketizeOptions(b_, b_.CreateVector(o.boundaries)).Union()};
  }

  Status status() const { return status_; }

 private:
  void Expect(std::initializer_list<K> kinds) {
    for (K k : kinds) {
      if (k == kind_) return;
    }
    Fail("these options");
  }
  void Fail(const std::string& what) {
    if (status_.ok()) {
      status_ = InvalidArgument(who_ + " has " + what +
                                ", which do not belong to its op kind");
    }
  }
  fb::ActivationFunctionType Act(ir::Activation a) {
    const auto v = static_cast<int8_t>(a);
    if (v < 0 || v > static_cast<int8_t>(fb::ActivationFunctionType::MAX)) {
      Fail("an invalid activation " + std::to_string(v));
    }
    return static_cast<fb::ActivationFunctionType>(v);
  }
  fb::Padding Pad(ir::Padding p) {
    if (p != ir::Padding::kSame && p != ir::Padding::kValid) Fail("an invalid padding");
    return p == ir::Padding::kValid ? fb::Padding::VALID : fb::Padding::SAME;
  }

  Builder& b_;
  K kind_;
  const std::string& who_;
  Status status_;
};

}  // namespace

StatusOr<std::pair<fb::BuiltinOptions, Offset<void>>> WriteBuiltinOptions(
    Builder& b, const ir::Operator& op, const std::string& who) {
  OptionsWriter w(b, op.kind, who);
  Result r = std::visit(w, op.options);
  RETURN_IF_ERROR(w.status());
  return r;
}

}  // namespace detlite::tflite_export
