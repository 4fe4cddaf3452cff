// The optimized 8-bit CONV_2D (and FULLY_CONNECTED, as a 1x1 convolution):
// the VNNI / portable indirect GEMM of kernels/optimized/qgemm.h where
// ActiveIsa() selects it, the im2col int16 GEMM of kernels/optimized/conv.h
// (vpmaddwd) at the AVX2 and AVX-512 levels. Both are bit-identical to the
// reference kernel.
#ifndef DETLITE_RUNTIME_OPS_CONV_Q8_H_
#define DETLITE_RUNTIME_OPS_CONV_Q8_H_

#include <cstdint>
#include <type_traits>

#include "kernels/optimized/conv.h"
#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/optimized/qgemm.h"
#include "kernels/reference/requantize.h"
#include "runtime/ops/conv_common.h"
#include "runtime/ops/conv_driver.h"

namespace detlite::runtime::conv {

// Applies a requantization functor to the int32 sums of one GEMM tile.
template <typename OutT, typename Requant>
struct Q8Finish {
  const Requant* requant;
  OutT* output;
  int32_t out_c;

  static void Run(const void* self, int64_t p0, int rows, int n0, int nc,
                  const int32_t* acc, int64_t ldc) {
    const auto& f = *static_cast<const Q8Finish*>(self);
    for (int r = 0; r < rows; ++r) {
      OutT* out = f.output + (p0 + r) * f.out_c + n0;
      for (int n = 0; n < nc; ++n) {
        out[n] = static_cast<OutT>((*f.requant)(acc[r * ldc + n], n0 + n));
      }
    }
  }
};

// CONV_2D with groups == 1 on 8-bit data; g.filter_h * g.filter_w taps of
// g.in_c channels per output channel.
template <typename InT, typename FilterT, typename BiasT, typename Requant>
void RunConvQ8(PackedFilter& packed, const QuantSetup& q,
               const kernels::ConvGeometry& g, const ConvOperands& t,
               const Requant& requant,
               const kernels::optimized::Parallel& par) {
  static_assert(sizeof(InT) == 1 && std::is_same_v<BiasT, int32_t>,
                "8-bit activations with int32 bias only");
  namespace opt = kernels::optimized;
  const opt::Isa isa = opt::ActiveIsa();
  InT* output = t.output->MutableData<InT>();
  const int32_t taps = g.filter_h * g.filter_w;
  if (!opt::UsesQGemm(isa)) {
    const int16_t* filter = packed.Quantized<FilterT>(
        g.out_c, taps * g.in_c, t.filter, q.filter_offset);
    opt::ConvQuantized(g, q.input_offset, t.input->Data<InT>(), filter,
                       BiasData<BiasT>(t.bias), requant, output, par);
    return;
  }
  const opt::PackedConvQ8& p =
      packed.Q8<FilterT>(isa, g.out_c, taps, g.in_c, t.filter, t.bias, q);
  const auto* input = reinterpret_cast<const uint8_t*>(t.input->Data<InT>());
  const auto input_zero_point = static_cast<uint8_t>(-q.input_offset);
  opt::QGemmOutput out;
  if constexpr (std::is_same_v<Requant, kernels::Fp32Requant>) {
    out.scale = requant.scale;
    out.lo = static_cast<float>(requant.act_min - requant.output_zero_point);
    out.hi = static_cast<float>(requant.act_max - requant.output_zero_point);
    out.zero_point = requant.output_zero_point;
    out.out = reinterpret_cast<uint8_t*>(output);
    opt::ConvQ8Igemm(g, input, input_zero_point, p, out, nullptr, nullptr,
                     par);
  } else {
    const Q8Finish<InT, Requant> finish{&requant, output, g.out_c};
    opt::ConvQ8Igemm(g, input, input_zero_point, p, out,
                     &Q8Finish<InT, Requant>::Run, &finish, par);
  }
}

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_Q8_H_
