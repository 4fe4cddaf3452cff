// The one Eval of the conv family (conv_2d.cc, conv_depthwise.cc,
// conv_fully_connected.cc, conv_transpose.cc). Each op gives its Prepare and
// a struct of kernel hooks; EvalConv<Op> picks the path:
//
//   hybrid (float input, int8 filter)  -> Op::Hybrid
//   optimized kernels allowed and the data is float or 8-bit and
//   Op::Optimizable(d)                 -> Op::OptimizedFloat / OptimizedQuantized
//   otherwise                          -> Op::ReferenceFloat / ReferenceQuantized
//
// An Op is a struct with
//   using Data = ...;                          // OpData with a `quant` member
//   static ConvOperands Operands(OpContext&);  // where its tensors sit
//   static constexpr bool kHasHybrid, kHasOptimized;
//   static Status Hybrid(OpContext&, Data&, const ConvOperands&);
//   static bool Optimizable(const Data&);      // besides the data types
//   static void OptimizedFloat(Data&, const ConvOperands&);
//   static void ReferenceFloat(Data&, const ConvOperands&);
//   template <InT, FilterT, BiasT, Requant>
//   static void OptimizedQuantized(Data&, const ConvOperands&, const Requant&);
//   template <InT, FilterT, BiasT, Requant>
//   static void ReferenceQuantized(Data&, const ConvOperands&, const Requant&);
// Hooks an op lacks (kHasHybrid / kHasOptimized false) are never named.
#ifndef DETLITE_RUNTIME_OPS_CONV_DRIVER_H_
#define DETLITE_RUNTIME_OPS_CONV_DRIVER_H_

#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels/optimized/conv.h"
#include "kernels/optimized/cpu.h"
#include "kernels/optimized/igemm_f32.h"
#include "kernels/optimized/qgemm.h"
#include "runtime/ops/conv_common.h"

namespace detlite::runtime::conv {

// The tensors of one conv-family op at Eval; bias may be null.
struct ConvOperands {
  const TensorRef* input = nullptr;
  const TensorRef* filter = nullptr;
  const TensorRef* bias = nullptr;
  TensorRef* output = nullptr;
  // A residual ADD + activation the interpreter fused in (CONV_2D only).
  const FusedResidual* fused = nullptr;
};

// The common layout: input, filter, optional bias.
inline ConvOperands StandardOperands(OpContext& ctx) {
  return ConvOperands{ctx.input(0), ctx.input(1), OptionalInput(ctx, 2),
                      ctx.output(0)};
}

// A filter packed for the optimized conv kernels (8-bit data: qgemm.h at the
// reference and VNNI levels, with the bias and zero-point terms folded in,
// kernels/optimized/conv.h at the others; float: igemm_f32.h, with the
// bias), packed once at Prepare (PrepackFloat, PrepackQuantized) when filter
// and bias are constant and on every Invoke otherwise. Panels depend on the
// instruction set, so they are packed again if ActiveIsa() changed (tests
// force levels).
struct PackedFilter {
  std::vector<int16_t> i16;
  kernels::optimized::PackedConvF32 f32;
  kernels::optimized::PackedConvQ8 q8;
  bool packed = false;

  const kernels::optimized::PackedConvF32& Float(int32_t out_c, int32_t depth,
                                                 const TensorRef* filter,
                                                 const TensorRef* bias) {
    const kernels::optimized::Isa isa = kernels::optimized::ActiveIsa();
    if (!f32.Matches(isa) || !filter->is_constant ||
        (bias != nullptr && !bias->is_constant)) {
      kernels::optimized::PackConvF32(
          isa, out_c, depth, filter->Data<float>(),
          bias != nullptr ? bias->Data<float>() : nullptr, &f32);
    }
    return f32;
  }

  // At Prepare: packs a constant float filter (and bias) once.
  void PrepackFloat(const QuantSetup& q, int32_t out_c, int32_t depth,
                    const TensorRef* filter, const TensorRef* bias) {
    if (q.kind == RequantKind::kFloat && UseOptimizedKernels() &&
        filter->is_constant && (bias == nullptr || bias->is_constant)) {
      Float(out_c, depth, filter, bias);
    }
  }

  // The qgemm.h packing for `isa`, with QuantSetup's offsets folded in.
  template <typename FilterT>
  const kernels::optimized::PackedConvQ8& Q8(kernels::optimized::Isa isa,
                                             int32_t out_c, int32_t taps,
                                             int32_t in_c,
                                             const TensorRef* filter,
                                             const TensorRef* bias,
                                             const QuantSetup& q) {
    if (!q8.Matches(isa) || !filter->is_constant ||
        (bias != nullptr && !bias->is_constant)) {
      if constexpr (std::is_same_v<FilterT, uint8_t>) {
        kernels::optimized::PackConvQ8(isa, out_c, taps, in_c,
                                       filter->Data<uint8_t>(), q.filter_offset,
                                       BiasData<int32_t>(bias), q.input_offset,
                                       &q8);
      } else {
        kernels::optimized::PackConvQ8(isa, out_c, taps, in_c,
                                       filter->Data<int8_t>(),
                                       BiasData<int32_t>(bias), q.input_offset,
                                       &q8);
      }
    }
    return q8;
  }

  // At Prepare: packs a constant 8-bit filter (and bias) once, for the
  // kernel ActiveIsa() selects.
  void PrepackQuantized(const QuantSetup& q, DType input_dtype, int32_t out_c,
                        int32_t taps, int32_t in_c, const TensorRef* filter,
                        const TensorRef* bias) {
    const bool eight_bit =
        input_dtype == DType::kUInt8 || input_dtype == DType::kInt8;
    if (!eight_bit || q.kind == RequantKind::kFloat ||
        q.kind == RequantKind::kHybrid || !UseOptimizedKernels() ||
        !filter->is_constant || (bias != nullptr && !bias->is_constant)) {
      return;
    }
    const kernels::optimized::Isa isa = kernels::optimized::ActiveIsa();
    if (!kernels::optimized::UsesQGemm(isa)) {
      if (input_dtype == DType::kUInt8) {
        Quantized<uint8_t>(out_c, taps * in_c, filter, q.filter_offset);
      } else {
        Quantized<int8_t>(out_c, taps * in_c, filter, q.filter_offset);
      }
    } else if (input_dtype == DType::kUInt8) {
      Q8<uint8_t>(isa, out_c, taps, in_c, filter, bias, q);
    } else {
      Q8<int8_t>(isa, out_c, taps, in_c, filter, bias, q);
    }
  }

  template <typename FilterT>
  const int16_t* Quantized(int32_t out_c, int32_t depth,
                           const TensorRef* filter, int32_t filter_offset) {
    if (!packed || !filter->is_constant) {
      kernels::optimized::PackFilterI16(out_c, depth, filter->Data<FilterT>(),
                                        filter_offset, &i16);
    }
    packed = true;
    return i16.data();
  }
};

template <typename Op>
Status EvalConv(OpContext& ctx) {
  auto& d = ctx.data<typename Op::Data>();
  const ConvOperands t = Op::Operands(ctx);
  if (d.quant.kind == RequantKind::kHybrid) {
    if constexpr (Op::kHasHybrid) {
      return Op::Hybrid(ctx, d, t);
    } else {
      return ctx.Error("has no hybrid kernel");  // Prepare rejects it
    }
  }
  const bool is_float = d.quant.kind == RequantKind::kFloat;
  bool optimized = false;
  if constexpr (Op::kHasOptimized) {
    optimized = UseOptimizedKernels() && Op::Optimizable(d) &&
                (is_float || t.input->dtype == DType::kUInt8 ||
                 t.input->dtype == DType::kInt8);
  }
  if (is_float) {
    if constexpr (Op::kHasOptimized) {
      if (optimized) {
        Op::OptimizedFloat(d, t);
        return Status::Ok();
      }
    }
    Op::ReferenceFloat(d, t);
    return Status::Ok();
  }
  VisitQuantized(
      d.quant, t.input->dtype, t.bias ? t.bias->dtype : DType::kInt64,
      [&](auto in_t, auto filter_t, auto bias_t, const auto& requant) {
        using InT = decltype(in_t);
        using FilterT = decltype(filter_t);
        using BiasT = decltype(bias_t);
        if constexpr (Op::kHasOptimized) {
          if (optimized) {
            // Only 8-bit data gets here (int16 activations stay on the
            // reference).
            if constexpr (sizeof(InT) == 1) {
              Op::template OptimizedQuantized<InT, FilterT, BiasT>(d, t,
                                                                   requant);
            }
            return;
          }
        }
        Op::template ReferenceQuantized<InT, FilterT, BiasT>(d, t, requant);
      });
  return Status::Ok();
}

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_DRIVER_H_
