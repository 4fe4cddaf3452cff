// The sparse path of CONV_2D 1x1 and FULLY_CONNECTED (kernels/optimized/
// spmm.h). Decided once at Prepare: an op whose weights are constant (also
// when a DENSIFY or DEQUANTIZE made them so at Prepare), that reads each
// input pixel once (1x1, stride 1, no padding; every FULLY_CONNECTED), with
// float data or int8 data and int8 weights, takes the sparse kernel when
// the share of zero weights reaches the threshold measured for the active
// instruction set (SparseThreshold; docs/PRUNING.md has the measurement)
// and the weights are packed sparse then, not dense.
//
// Weights whose zeros mostly come in 4x1 blocks (4 output channels at one
// input channel; `convert --prune S --block 4x1`, or by chance) take the
// block kernel instead, judged from the values, not the file's block map:
// when the share of all-zero blocks reaches BlockSparseThreshold and the
// blocks kept are not much more than the single nonzeros (the block kernel
// does 4 multiply-adds per stored block, padding zeros included).
//
// DETLITE_SPARSE=auto (default) | on (every such op, whatever its zeros,
// unblocked) | block (every such op, 4x1 blocks) | off (never) overrides the
// choice for tests and benchmarks; it is read at each Prepare.
#ifndef DETLITE_RUNTIME_OPS_CONV_SPARSE_H_
#define DETLITE_RUNTIME_OPS_CONV_SPARSE_H_

#include <cstdint>
#include <type_traits>

#include "kernels/optimized/gemm.h"
#include "kernels/optimized/spmm.h"
#include "kernels/reference/requantize.h"
#include "runtime/ops/conv_common.h"
#include "runtime/ops/conv_driver.h"

namespace detlite::runtime::conv {

enum class SparseMode { kAuto, kOn, kBlock, kOff };

// DETLITE_SPARSE; an unknown value warns once on stderr and means auto.
SparseMode SparseModeFromEnv();

// The share of zero weights from which the sparse kernel is faster than the
// dense one on `isa` (measured on SSDLite's 1x1 layer shapes); above 1 when
// it never is.
float SparseThreshold(kernels::optimized::Isa isa, bool int8);

// The same for the share of all-zero 4x1 blocks and the block kernel.
float BlockSparseThreshold(kernels::optimized::Isa isa, bool int8);

// The block kernel is picked over the unblocked one only while it stores at
// most this many times the weights (4 per kept block against the nonzeros):
// its cost per stored weight is lower by about as much (docs/PRUNING.md).
inline constexpr float kBlockMaxStoredRatio = 2.0f;

// Fewer output pixels than this keep the dense kernel in auto mode (the
// sparse one fills a vector across pixels).
inline constexpr int64_t kSparseMinPixels = 8;

struct SparseConv {
  bool enabled = false;
  int block = 1;  // 1 or 4 (4x1 blocks)
  float zero_share = 0;
  float block_zero_share = 0;  // of the 4x1 blocks
  kernels::optimized::PackedSparse packed;

  // At Prepare: decides and packs. `pixels` rows of in_c inputs each; the
  // caller has checked the op reads each pixel once.
  void Prepare(const QuantSetup& q, DType input_dtype, int32_t out_c,
               int32_t in_c, int64_t pixels, const TensorRef* filter,
               const TensorRef* bias);

  // The packing for ActiveIsa() (packed again if a test changed it).
  const kernels::optimized::PackedSparse& Packed(const QuantSetup& q,
                                                 const TensorRef* filter,
                                                 const TensorRef* bias);
};

void RunSparseFloat(SparseConv& s, const QuantSetup& q, int64_t pixels,
                    const ConvOperands& t,
                    const kernels::optimized::Parallel& par);

// Hands each tile of int32 sums to the op's requantization: the vectorized
// XNNPACK one of the dense kernels for Fp32Requant, the functor otherwise.
template <typename Requant>
struct SparseQ8Finish {
  const Requant* requant;
  int8_t* output;
  int32_t out_c;

  static void Run(const void* self, int64_t p0, int rows, int oc0, int nc,
                  const int32_t* acc, int64_t ldc) {
    const auto& f = *static_cast<const SparseQ8Finish*>(self);
    for (int r = 0; r < rows; ++r) {
      int8_t* out = f.output + (p0 + r) * f.out_c + oc0;
      const int32_t* a = acc + r * ldc;
      if constexpr (std::is_same_v<Requant, kernels::Fp32Requant>) {
        const Requant& q = *f.requant;
        kernels::optimized::RequantFp32I8(nc, a, nullptr, q.scale + oc0,
                                          q.output_zero_point, q.act_min,
                                          q.act_max, out);
      } else {
        for (int n = 0; n < nc; ++n) {
          out[n] = static_cast<int8_t>((*f.requant)(a[n], oc0 + n));
        }
      }
    }
  }
};

template <typename Requant>
void RunSparseQ8(SparseConv& s, const QuantSetup& q, int64_t pixels,
                 const ConvOperands& t, const Requant& requant,
                 const kernels::optimized::Parallel& par) {
  const kernels::optimized::PackedSparse& p = s.Packed(q, t.filter, t.bias);
  const SparseQ8Finish<Requant> finish{&requant, t.output->MutableData<int8_t>(),
                                       p.out_c};
  kernels::optimized::SpmmQ8(pixels, t.input->Data<int8_t>(), p,
                             &SparseQ8Finish<Requant>::Run, &finish, par);
}

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_SPARSE_H_
