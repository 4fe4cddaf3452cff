// FULLY_CONNECTED: inputs (input [..., in], weights [units, in], optional bias
// [units]); the input is read as [elements / in, in]. Output is
// [elements / in, units], or with keep_num_dims the input's shape with its
// last dimension replaced by units.
#include <climits>
#include <memory>
#include <string>
#include <type_traits>

#include "kernels/optimized/conv.h"
#include "kernels/reference/fully_connected.h"
#include "runtime/ops/conv_common.h"
#include "runtime/ops/conv_driver.h"
#include "runtime/ops/conv_hybrid.h"
#include "runtime/ops/conv_kernels.h"
#include "runtime/ops/conv_q8.h"
#include "runtime/ops/conv_sparse.h"
#include "runtime/thread_pool.h"

namespace detlite::runtime::conv {
namespace {

struct FullyConnectedData : OpData {
  kernels::reference::FullyConnectedShape shape;
  QuantSetup quant;
  PackedFilter packed;  // weights for the optimized kernel
  SparseConv sparse;    // enough zero weights (conv_sparse.h)
  HybridScratch hybrid;
  bool asymmetric_input = false;  // the hybrid option of the same name

  const char* KernelVariant() const override {
    return sparse.enabled ? "sparse" : nullptr;
  }
};

Status Prepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const auto* options =
      std::get_if<ir::FullyConnectedOptions>(&ctx.op().options);
  if (options == nullptr) return ctx.Error("has no FullyConnectedOptions");
  if (options->weights_format != 0) {
    return Unimplemented(ctx.Error("shuffled weights format " +
                                   std::to_string(options->weights_format) +
                                   " is not supported")
                             .message());
  }
  const TensorRef* input = ctx.input(0);
  const TensorRef* weights = ctx.input(1);
  const TensorRef* bias = OptionalInput(ctx, 2);
  RETURN_IF_ERROR(CheckRank(ctx, weights, 2, "weights"));
  RETURN_IF_ERROR(CheckNonEmpty(ctx, weights, "weights"));
  if (input->shape.rank() < 1) {
    return ctx.Error("input '" + input->name() +
                     "' is a scalar; expected rank >= 1");
  }
  const int32_t units = weights->shape.dim(0);
  const int32_t depth = weights->shape.dim(1);
  const int64_t elements = input->NumElements();
  if (elements < 0 || elements % depth != 0) {
    return ctx.Error("input " + input->shape.ToString() +
                     " does not split into rows of " + std::to_string(depth) +
                     " (the weights' " + weights->shape.ToString() +
                     " input depth)");
  }

  auto data = std::make_unique<FullyConnectedData>();
  data->shape = {elements / depth, depth, units};
  Shape out_shape;
  if (options->keep_num_dims) {
    if (input->shape.dim(input->shape.rank() - 1) != depth) {
      return ctx.Error("keep_num_dims needs the input's last dimension (" +
                       input->shape.ToString() +
                       ") to equal the weights' input depth " +
                       std::to_string(depth));
    }
    out_shape = input->shape;
    out_shape.dim(out_shape.rank() - 1) = units;
  } else {
    if (data->shape.batches > INT32_MAX) return ctx.Error("input is too large");
    out_shape = Shape{static_cast<int32_t>(data->shape.batches), units};
  }

  QuantRequest req;
  req.input = input;
  req.filter = weights;
  req.bias = bias;
  req.output = ctx.output(0);
  req.channels = units;
  req.filter_channel_axis = 0;
  req.activation = options->activation;
  // Measured on the judge: XNNPACK takes it only with per-tensor weights;
  // otherwise TFLite's own kernel runs, rounding twice for uint8 and once
  // for int8.
  req.per_channel_xnnpack = false;
  req.builtin_rounding = input->dtype == DType::kInt8
                             ? BuiltinRounding::kSingle
                             : BuiltinRounding::kDouble;
  req.float_product_multiplier = true;
  data->asymmetric_input = options->asymmetric_quantize_inputs;
  req.hybrid_asymmetric = &data->asymmetric_input;
  RETURN_IF_ERROR(PrepareQuant(ctx, req, &data->quant));
  if (data->shape.batches <= INT32_MAX) {
    data->sparse.Prepare(data->quant, input->dtype, units, depth,
                         data->shape.batches, weights, bias);
  }
  if (!data->sparse.enabled) {
    data->packed.PrepackFloat(data->quant, units, depth, weights, bias);
    data->packed.PrepackQuantized(data->quant, input->dtype, units, 1, depth,
                                  weights, bias);
  }

  ctx.SetOutputShape(0, std::move(out_shape));
  ctx.SetData(std::move(data));
  return Status::Ok();
}

// FULLY_CONNECTED as a 1x1 convolution over a rows x 1 "image" (g.batches
// stays 1), so it reuses the optimized conv and its exact integer path.
kernels::ConvGeometry AsConv(const FullyConnectedData& d, int32_t rows) {
  kernels::ConvGeometry g;
  g.in_h = g.out_h = rows;
  g.in_w = g.out_w = 1;
  g.in_c = d.shape.in_depth;
  g.out_c = d.shape.out_depth;
  g.filter_h = g.filter_w = 1;
  return g;
}

// The kernels EvalConv (conv_driver.h) dispatches to.
struct FullyConnectedOp {
  using Data = FullyConnectedData;
  static constexpr bool kHasHybrid = true;
  static constexpr bool kHasOptimized = true;

  static ConvOperands Operands(OpContext& ctx) { return StandardOperands(ctx); }

  // Each input row is one batch of the hybrid quantization (conv_hybrid.h),
  // as a 1x1 convolution over a single pixel.
  static Status Hybrid(OpContext&, Data& d, const ConvOperands& t) {
    EvalHybridConv(d.quant, AsConv(d, 1), d.shape.batches,
                   t.input->Data<float>(), t.filter, BiasData<float>(t.bias),
                   d.hybrid, t.output->MutableData<float>());
    return Status::Ok();
  }

  static bool Optimizable(const Data& d) {
    return d.shape.batches <= INT32_MAX;
  }

  static void OptimizedFloat(Data& d, const ConvOperands& t) {
    if (d.sparse.enabled) {
      RunSparseFloat(d.sparse, d.quant, d.shape.batches, t, CurrentParallel());
      return;
    }
    const kernels::ConvGeometry g =
        AsConv(d, static_cast<int32_t>(d.shape.batches));
    kernels::optimized::ConvFloatIgemm(
        g, t.input->Data<float>(),
        d.packed.Float(g.out_c, g.in_c, t.filter, t.bias),
        d.quant.float_act_min, d.quant.float_act_max,
        t.output->MutableData<float>(), CurrentParallel());
  }

  template <typename InT, typename FilterT, typename BiasT, typename Requant>
  static void OptimizedQuantized(Data& d, const ConvOperands& t,
                                 const Requant& requant) {
    if constexpr (std::is_same_v<InT, int8_t> &&
                  std::is_same_v<FilterT, int8_t>) {
      if (d.sparse.enabled) {
        RunSparseQ8(d.sparse, d.quant, d.shape.batches, t, requant,
                    CurrentParallel());
        return;
      }
    }
    RunConvQ8<InT, FilterT, BiasT>(
        d.packed, d.quant, AsConv(d, static_cast<int32_t>(d.shape.batches)), t,
        requant, CurrentParallel());
  }

  static void ReferenceFloat(Data& d, const ConvOperands& t) {
    kernels::reference::FullyConnectedFloat(
        d.shape, t.input->Data<float>(), t.filter->Data<float>(),
        BiasData<float>(t.bias), d.quant.float_act_min, d.quant.float_act_max,
        t.output->MutableData<float>());
  }

  template <typename InT, typename FilterT, typename BiasT, typename Requant>
  static void ReferenceQuantized(Data& d, const ConvOperands& t,
                                 const Requant& requant) {
    kernels::reference::FullyConnectedQuantized(
        d.shape, d.quant.input_offset, d.quant.filter_offset,
        t.input->Data<InT>(), t.filter->Data<FilterT>(),
        BiasData<BiasT>(t.bias), requant, t.output->MutableData<InT>());
  }
};

}  // namespace

OpKernel FullyConnectedKernel() { return OpKernel{&Prepare, &EvalConv<FullyConnectedOp>}; }

}  // namespace detlite::runtime::conv
