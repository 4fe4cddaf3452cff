// Typed operator options. One struct per options shape; an op kind has at
// most one options type (see ir/op_options.cc: ExpectedOptionsIndex).
// std::monostate means "no options" (ops whose options are empty).
#ifndef DETLITE_IR_OP_OPTIONS_H_
#define DETLITE_IR_OP_OPTIONS_H_

#include <cstdint>
#include <variant>
#include <vector>

#include "core/dtype.h"

namespace detlite::ir {

enum class Padding : int8_t { kSame = 0, kValid = 1 };
enum class Activation : int8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5,
};

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
  bool operator==(const Conv2DOptions&) const = default;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  int32_t dilation_w = 1, dilation_h = 1;
  Activation activation = Activation::kNone;
  bool operator==(const DepthwiseConv2DOptions&) const = default;
};

struct TransposeConvOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
  bool operator==(const TransposeConvOptions&) const = default;
};

struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
  bool operator==(const Pool2DOptions&) const = default;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  int8_t weights_format = 0;  // 0 DEFAULT, 1 SHUFFLED4x16INT8
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
  bool operator==(const FullyConnectedOptions&) const = default;
};

// ADD, SUB, MUL, DIV.
struct ArithmeticOptions {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;  // ADD/SUB only
  bool operator==(const ArithmeticOptions&) const = default;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
  bool operator==(const ConcatenationOptions&) const = default;
};

struct ReshapeOptions {
  std::vector<int32_t> new_shape;
  bool operator==(const ReshapeOptions&) const = default;
};

struct SoftmaxOptions {
  float beta = 1.0f;
  bool operator==(const SoftmaxOptions&) const = default;
};

// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR.
struct ResizeOptions {
  bool align_corners = false;
  bool half_pixel_centers = false;
  bool operator==(const ResizeOptions&) const = default;
};

// MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, REDUCE_ANY, REDUCE_ALL.
struct ReducerOptions {
  bool keep_dims = false;
  bool operator==(const ReducerOptions&) const = default;
};

struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0;
  int32_t new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
  bool operator==(const StridedSliceOptions&) const = default;
};

struct SqueezeOptions {
  std::vector<int32_t> squeeze_dims;
  bool operator==(const SqueezeOptions&) const = default;
};

struct PackOptions {  // PACK and UNPACK (count = values_count or num)
  int32_t count = 0;
  int32_t axis = 0;
  bool operator==(const PackOptions&) const = default;
};

struct GatherOptions {
  int32_t axis = 0;
  int32_t batch_dims = 0;
  bool operator==(const GatherOptions&) const = default;
};

struct CastOptions {
  DType in_type = DType::kFloat32;
  DType out_type = DType::kFloat32;
  bool has_types = false;  // converters often leave CastOptions empty
  bool operator==(const CastOptions&) const = default;
};

struct LeakyReluOptions {
  float alpha = 0.0f;
  bool operator==(const LeakyReluOptions&) const = default;
};

struct SplitOptions {  // SPLIT and SPLIT_V
  int32_t num_splits = 0;
  bool operator==(const SplitOptions&) const = default;
};

struct BlockSizeOptions {  // SPACE_TO_DEPTH and DEPTH_TO_SPACE
  int32_t block_size = 0;
  bool operator==(const BlockSizeOptions&) const = default;
};

struct ArgMinMaxOptions {
  DType output_type = DType::kInt64;
  bool operator==(const ArgMinMaxOptions&) const = default;
};

struct L2NormOptions {
  Activation activation = Activation::kNone;
  bool operator==(const L2NormOptions&) const = default;
};

struct MirrorPadOptions {
  bool symmetric = false;  // false: REFLECT
  bool operator==(const MirrorPadOptions&) const = default;
};

struct BatchMatMulOptions {
  bool adj_x = false, adj_y = false;
  bool asymmetric_quantize_inputs = false;
  bool operator==(const BatchMatMulOptions&) const = default;
};

struct GeluOptions {
  bool approximate = false;
  bool operator==(const GeluOptions&) const = default;
};

struct CumsumOptions {
  bool exclusive = false, reverse = false;
  bool operator==(const CumsumOptions&) const = default;
};

struct BucketizeOptions {
  std::vector<float> boundaries;  // ascending
  bool operator==(const BucketizeOptions&) const = default;
};

using OpOptions =
    std::variant<std::monostate, Conv2DOptions, DepthwiseConv2DOptions,
                 TransposeConvOptions, Pool2DOptions, FullyConnectedOptions,
                 ArithmeticOptions, ConcatenationOptions, ReshapeOptions,
                 SoftmaxOptions, ResizeOptions, ReducerOptions,
                 StridedSliceOptions, SqueezeOptions, PackOptions,
                 GatherOptions, CastOptions, LeakyReluOptions, SplitOptions,
                 BlockSizeOptions, ArgMinMaxOptions, L2NormOptions,
                 MirrorPadOptions, BatchMatMulOptions, GeluOptions,
                 CumsumOptions, BucketizeOptions>;

}  // namespace detlite::ir

#endif  // DETLITE_IR_OP_OPTIONS_H_
