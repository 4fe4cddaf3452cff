// Builtin options: the union member an operator carries, converted to the
// IR's typed options. Enum fields are range-checked and sizes that kernels
// divide or step by must be positive, so kernels can use them directly.
#include <string>
#include <utility>

#include "importers/tflite/options_table.h"
#include "importers/tflite/read_parts.h"
#include "ir/op_options.h"

namespace detlite::tflite_import {
namespace {

using O = fb::BuiltinOptions;

// True when any field of the table is stored; a table of defaults carries
// nothing the IR could lose.
bool HasAnyField(const void* table) {
  const auto* t = static_cast<const flatbuffers::Table*>(table);
  const uint8_t* vt = t->GetVTable();
  const auto vt_size = flatbuffers::ReadScalar<flatbuffers::voffset_t>(vt);
  for (flatbuffers::voffset_t o = 4; o + 2 <= vt_size; o += 2) {
    if (flatbuffers::ReadScalar<flatbuffers::voffset_t>(vt + o) != 0) return true;
  }
  return false;
}

// Converts enum fields with a check, so a corrupt byte is an error rather
// than an out-of-range IR enum.
class Converter {
 public:
  Converter(const ReadContext& ctx, const std::string& who)
      : ctx_(ctx), who_(who) {}

  ir::Activation Act(fb::ActivationFunctionType a) {
    const auto v = static_cast<int>(a);
    if (v < 0 || v > static_cast<int>(fb::ActivationFunctionType::MAX)) {
      Fail("fused activation " + std::to_string(v));
    }
    return static_cast<ir::Activation>(v);
  }
  ir::Padding Pad(fb::Padding p) {
    if (p != fb::Padding::SAME && p != fb::Padding::VALID) {
      Fail("padding " + std::to_string(static_cast<int>(p)));
    }
    return p == fb::Padding::VALID ? ir::Padding::kValid : ir::Padding::kSame;
  }
  int32_t Positive(int32_t v, const char* field) {
    if (v < 1) Fail(std::string(field) + " " + std::to_string(v));
    return v;
  }
  DType Type(fb::TensorType t) {
    auto d = ReadDType(ctx_, t, who_);
    if (!d.ok()) {
      Fail("tensor type " + std::to_string(static_cast<int>(t)));
      return DType::kFloat32;
    }
    return *d;
  }
  // Remembers the first problem; conversions go on with harmless values.
  void Fail(const std::string& what) {
    if (status_.ok()) status_ = ctx_.Corrupt(who_ + " has invalid " + what);
  }
  Status status() const { return status_; }

 private:
  const ReadContext& ctx_;
  const std::string& who_;
  Status status_;
};

// Returns false when the IR has no options type for `type`.
bool Convert(O type, const void* p, Converter& c, ir::Operator* out) {
  switch (type) {
    case O::Conv2DOptions: {
      const auto* o = static_cast<const fb::Conv2DOptions*>(p);
      out->options = ir::Conv2DOptions{
          c.Pad(o->padding()),
          c.Positive(o->stride_w(), "stride_w"),
          c.Positive(o->stride_h(), "stride_h"),
          c.Positive(o->dilation_w_factor(), "dilation_w_factor"),
          c.Positive(o->dilation_h_factor(), "dilation_h_factor"),
          c.Act(o->fused_activation_function())};
      // An explicit int16x8 bias type has no place in the IR.
      out->options_unsupported |=
          o->quantized_bias_type() != fb::TensorType::FLOAT32;
      return true;
    }
    case O::DepthwiseConv2DOptions: {
      const auto* o = static_cast<const fb::DepthwiseConv2DOptions*>(p);
      out->options = ir::DepthwiseConv2DOptions{
          c.Pad(o->padding()),
          c.Positive(o->stride_w(), "stride_w"),
          c.Positive(o->stride_h(), "stride_h"),
          // Redundant with the filter shape; newer converters may write 0.
          o->depth_multiplier(),
          c.Positive(o->dilation_w_factor(), "dilation_w_factor"),
          c.Positive(o->dilation_h_factor(), "dilation_h_factor"),
          c.Act(o->fused_activation_function())};
      return true;
    }
    case O::TransposeConvOptions: {
      const auto* o = static_cast<const fb::TransposeConvOptions*>(p);
      out->options = ir::TransposeConvOptions{
          c.Pad(o->padding()), c.Positive(o->stride_w(), "stride_w"),
          c.Positive(o->stride_h(), "stride_h"),
          c.Act(o->fused_activation_function())};
      out->options_unsupported |=
          o->quantized_bias_type() != fb::TensorType::FLOAT32;
      return true;
    }
    case O::Pool2DOptions: {
      const auto* o = static_cast<const fb::Pool2DOptions*>(p);
      out->options = ir::Pool2DOptions{
          c.Pad(o->padding()),
          c.Positive(o->stride_w(), "stride_w"),
          c.Positive(o->stride_h(), "stride_h"),
          c.Positive(o->filter_width(), "filter_width"),
          c.Positive(o->filter_height(), "filter_height"),
          c.Act(o->fused_activation_function())};
      return true;
    }
    case O::FullyConnectedOptions: {
      const auto* o = static_cast<const fb::FullyConnectedOptions*>(p);
      const auto wf = static_cast<int8_t>(o->weights_format());
      if (wf < 0 || wf > 1) c.Fail("weights_format " + std::to_string(wf));
      out->options = ir::FullyConnectedOptions{
          c.Act(o->fused_activation_function()), wf, o->keep_num_dims(),
          o->asymmetric_quantize_inputs()};
      out->options_unsupported |=
          o->quantized_bias_type() != fb::TensorType::FLOAT32;
      return true;
    }
    case O::AddOptions: {
      const auto* o = static_cast<const fb::AddOptions*>(p);
      out->options = ir::ArithmeticOptions{
          c.Act(o->fused_activation_function()), o->pot_scale_int16()};
      return true;
    }
    case O::SubOptions: {
      const auto* o = static_cast<const fb::SubOptions*>(p);
      out->options = ir::ArithmeticOptions{
          c.Act(o->fused_activation_function()), o->pot_scale_int16()};
      return true;
    }
    case O::MulOptions: {
      const auto* o = static_cast<const fb::MulOptions*>(p);
      out->options = ir::ArithmeticOptions{c.Act(o->fused_activation_function())};
      return true;
    }
    case O::DivOptions: {
      const auto* o = static_cast<const fb::DivOptions*>(p);
      out->options = ir::ArithmeticOptions{c.Act(o->fused_activation_function())};
      return true;
    }
    case O::ConcatenationOptions: {
      const auto* o = static_cast<const fb::ConcatenationOptions*>(p);
      out->options = ir::ConcatenationOptions{
          o->axis(), c.Act(o->fused_activation_function())};
      return true;
    }
    case O::ReshapeOptions: {
      const auto* o = static_cast<const fb::ReshapeOptions*>(p);
      out->options = ir::ReshapeOptions{ToVector<int32_t>(o->new_shape())};
      return true;
    }
    case O::SoftmaxOptions:
      out->options =
          ir::SoftmaxOptions{static_cast<const fb::SoftmaxOptions*>(p)->beta()};
      return true;
    case O::ResizeBilinearOptions: {
      const auto* o = static_cast<const fb::ResizeBilinearOptions*>(p);
      out->options = ir::ResizeOptions{o->align_corners(), o->half_pixel_centers()};
      return true;
    }
    case O::ResizeNearestNeighborOptions: {
      const auto* o = static_cast<const fb::ResizeNearestNeighborOptions*>(p);
      out->options = ir::ResizeOptions{o->align_corners(), o->half_pixel_centers()};
      return true;
    }
    case O::ReducerOptions:
      out->options = ir::ReducerOptions{
          static_cast<const fb::ReducerOptions*>(p)->keep_dims()};
      return true;
    case O::StridedSliceOptions: {
      const auto* o = static_cast<const fb::StridedSliceOptions*>(p);
      out->options = ir::StridedSliceOptions{
          o->begin_mask(),    o->end_mask(),         o->ellipsis_mask(),
          o->new_axis_mask(), o->shrink_axis_mask(), o->offset()};
      return true;
    }
    case O::SqueezeOptions:
      out->options = ir::SqueezeOptions{ToVector<int32_t>(
          static_cast<const fb::SqueezeOptions*>(p)->squeeze_dims())};
      return true;
    case O::PackOptions: {
      const auto* o = static_cast<const fb::PackOptions*>(p);
      out->options = ir::PackOptions{o->values_count(), o->axis()};
      return true;
    }
    case O::UnpackOptions: {
      const auto* o = static_cast<const fb::UnpackOptions*>(p);
      out->options = ir::PackOptions{o->num(), o->axis()};
      return true;
    }
    case O::GatherOptions: {
      const auto* o = static_cast<const fb::GatherOptions*>(p);
      out->options = ir::GatherOptions{o->axis(), o->batch_dims()};
      return true;
    }
    case O::CastOptions: {
      const auto* o = static_cast<const fb::CastOptions*>(p);
      // Converters often write an empty table; has_types tells it apart
      // from one that names the types (even when they are the defaults).
      out->options = ir::CastOptions{c.Type(o->in_data_type()),
                                     c.Type(o->out_data_type()),
                                     HasAnyField(p)};
      return true;
    }
    case O::LeakyReluOptions:
      out->options = ir::LeakyReluOptions{
          static_cast<const fb::LeakyReluOptions*>(p)->alpha()};
      return true;
    case O::SplitOptions:
      out->options = ir::SplitOptions{
          static_cast<const fb::SplitOptions*>(p)->num_splits()};
      return true;
    case O::SplitVOptions:
      out->options = ir::SplitOptions{
          static_cast<const fb::SplitVOptions*>(p)->num_splits()};
      return true;
    case O::SpaceToDepthOptions:
      out->options = ir::BlockSizeOptions{c.Positive(
          static_cast<const fb::SpaceToDepthOptions*>(p)->block_size(),
          "block_size")};
      return true;
    case O::DepthToSpaceOptions:
      out->options = ir::BlockSizeOptions{c.Positive(
          static_cast<const fb::DepthToSpaceOptions*>(p)->block_size(),
          "block_size")};
      return true;
    case O::ArgMaxOptions:
      out->options = ir::ArgMinMaxOptions{
          c.Type(static_cast<const fb::ArgMaxOptions*>(p)->output_type())};
      return true;
    case O::ArgMinOptions:
      out->options = ir::ArgMinMaxOptions{
          c.Type(static_cast<const fb::ArgMinOptions*>(p)->output_type())};
      return true;
    case O::L2NormOptions:
      out->options = ir::L2NormOptions{c.Act(
          static_cast<const fb::L2NormOptions*>(p)->fused_activation_function())};
      return true;
    case O::MirrorPadOptions: {
      const auto mode = static_cast<const fb::MirrorPadOptions*>(p)->mode();
      if (mode != fb::MirrorPadMode::REFLECT &&
          mode != fb::MirrorPadMode::SYMMETRIC) {
        c.Fail("mirror pad mode " + std::to_string(static_cast<int>(mode)));
      }
      out->options = ir::MirrorPadOptions{mode == fb::MirrorPadMode::SYMMETRIC};
      return true;
    }
    case O::BatchMatMulOptions: {
      const auto* o = static_cast<const fb::BatchMatMulOptions*>(p);
      out->options = ir::BatchMatMulOptions{o->adj_x(), o->adj_y(),
                                            o->asymmetric_quantize_inputs()};
      return true;
    }
    case O::GeluOptions:
      out->options =
          ir::GeluOptions{static_cast<const fb::GeluOptions*>(p)->approximate()};
      return true;
    case O::CumsumOptions: {
      const auto* o = static_cast<const fb::CumsumOptions*>(p);
      out->options = ir::CumsumOptions{o->exclusive(), o->reverse()};
      return true;
    }
    case O::BucketizeOptions: {
      ir::BucketizeOptions b;
      if (const auto* v = static_cast<const fb::BucketizeOptions*>(p)->boundaries()) {
        b.boundaries.assign(v->begin(), v->end());
      }
      for (size_t i = 0; i < b.boundaries.size(); ++i) {
        if (!(b.boundaries[i] == b.boundaries[i]) ||
            (i > 0 && b.boundaries[i] < b.boundaries[i - 1])) {
          c.Fail("boundaries (not ascending at " + std::to_string(i) + ")");
          break;
        }
      }
      out->options = std::move(b);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

Status ReadBuiltinOptions(const ReadContext& ctx, const fb::Operator& op,
                          int32_t code, const std::string& who,
                          ir::Operator* out) {
  const O type = op.builtin_options_type();
  if (type == O::NONE) return Status::Ok();
  if (type > O::MAX) {
    return ctx.Corrupt(who + " has unknown builtin options type " +
                       std::to_string(static_cast<int>(type)));
  }
  if (code > kLastCodeWithKnownOptions) {
    out->options_unsupported = true;
    return Status::Ok();
  }
  const O expected = ExpectedOptions(code);
  if (type != expected) {
    return ctx.Corrupt(
        who + " carries " + fb::EnumNameBuiltinOptions(type) + ", but takes " +
        (expected == O::NONE ? std::string("no options")
                             : std::string(fb::EnumNameBuiltinOptions(expected))));
  }
  // A type with no table is what the runtime reads as "no options".
  const void* table = op.builtin_options();
  if (table == nullptr) return Status::Ok();
  Converter c(ctx, who);
  if (!Convert(type, table, c, out)) {
    // Tables the IR does not model; an empty one (e.g. PadOptions) carries
    // nothing, so only a table with fields makes the op unwritable.
    if (HasAnyField(table)) out->options_unsupported = true;
    return Status::Ok();
  }
  return c.status();
}

}  // namespace detlite::tflite_import
