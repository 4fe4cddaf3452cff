// Float convolution as an indirect GEMM (after XNNPACK's igemm): for each
// tile of output pixels the kernel reads, per filter tap, a pointer to that
// pixel's in_c input values (or to zeros for padding), so a 1x1 convolution
// reads the NHWC input in place and a KxK one needs no im2col copy. Weights
// and bias are packed once (PackConvF32) into panels of output channels the
// register-blocked microkernels (igemm_f32_*.cc, one per instruction set)
// read linearly; bias and the activation clamp happen in registers before
// the one store of each output.
#ifndef DETLITE_KERNELS_OPTIMIZED_IGEMM_F32_H_
#define DETLITE_KERNELS_OPTIMIZED_IGEMM_F32_H_

#include <cstdint>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/eltwise_f32.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// The microkernel of one instruction set: c[r][n] = clamp(bias[n] +
// sum over taps t and channels i of a[t * mr_max + r][i] * w[t][i][n]) for
// r < mr, n < nc. `panel` is one panel of PackedConvF32 (bias first);
// a holds taps * mr_max row pointers, rows >= mr repeating a valid one.
using IgemmF32Fn = void (*)(int mr, int nc, int taps, int in_c,
                            const float* const* a, const float* panel,
                            float lo, float hi, float* c, int64_t ldc);

struct IgemmF32Kernel {
  Isa isa = Isa::kReference;
  int mr = 0;  // rows (output pixels) per call
  int nr = 0;  // output channels per panel
  IgemmF32Fn fn = nullptr;
};

// The kernel for `isa`.
IgemmF32Kernel IgemmF32For(Isa isa);

// Defined in igemm_f32_{portable,avx2,avx512}.cc.
IgemmF32Kernel IgemmF32Portable();
IgemmF32Kernel IgemmF32Avx2();
IgemmF32Kernel IgemmF32Avx512();

// Filter [out_c][k] (k = filter_h * filter_w * in_c, OHWI) and bias (may be
// null) packed for one kernel: panels of nr channels, each nr bias values
// then k rows of nr weights, zero-padded.
struct PackedConvF32 {
  Isa isa = Isa::kReference;
  int out_c = 0, k = 0, nr = 0;
  std::vector<float> data;

  bool Matches(Isa want) const { return !data.empty() && isa == want; }
};

void PackConvF32(Isa isa, int out_c, int k, const float* filter,
                 const float* bias, PackedConvF32* out);

// CONV_2D (groups == 1) with weights packed for packed.isa. With an
// epilogue (eltwise_f32.h; its x, out and rows are ignored, channels must be
// out_c), each block of output pixels gets it applied in place while still
// in cache: a fused residual ADD and activation.
void ConvFloatIgemm(const ConvGeometry& g, const float* input,
                    const PackedConvF32& packed, float lo, float hi,
                    float* output, const Parallel& par,
                    const EltwiseF32Args* epilogue = nullptr);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_IGEMM_F32_H_
