#include "runtime/ops/conv_sparse.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace detlite::runtime::conv {

namespace opt = kernels::optimized;

SparseMode SparseModeFromEnv() {
  const char* v = std::getenv("DETLITE_SPARSE");
  if (v == nullptr || *v == '\0' || std::string(v) == "auto") {
    return SparseMode::kAuto;
  }
  if (std::string(v) == "on") return SparseMode::kOn;
  if (std::string(v) == "off") return SparseMode::kOff;
  if (std::string(v) == "block") return SparseMode::kBlock;
  static bool warned = false;
  if (!warned) {
    warned = true;
    std::fprintf(stderr,
                 "detlite: DETLITE_SPARSE=%s is not auto, on, block or off; using auto\n",
                 v);
  }
  return SparseMode::kAuto;
}

float SparseThreshold(opt::Isa isa, bool int8) {
  // MICRO=1 bench/sparse_kernels.sh (docs/PRUNING.md): the lowest share of
  // zeros at which the sparse kernel beat the dense one on every layer
  // shape measured, in two runs.
  switch (isa) {
    case opt::Isa::kReference:
      return int8 ? 0.9f : 0.3f;
    case opt::Isa::kAvx2:
      return int8 ? 0.8f : 0.7f;
    case opt::Isa::kAvx2Vnni:
      return int8 ? 0.95f : 0.7f;  // int8: the dense vpdpbusd GEMM
    case opt::Isa::kAvx512:
      return int8 ? 0.8f : 0.8f;
    case opt::Isa::kAvx512Vnni:
      return int8 ? 2.0f : 0.8f;  // int8: vpdpbusd won even at 95% zeros
  }
  return 2.0f;
}

float BlockSparseThreshold(opt::Isa isa, bool int8) {
  // MICRO=1 bench/sparse_kernels.sh, the 4x1 rows (docs/PRUNING.md): one
  // step of 10% above the lowest share of zero blocks at which the block
  // kernel beat the dense one on every layer shape (a margin for noise).
  switch (isa) {
    case opt::Isa::kReference:
      return int8 ? 0.8f : 0.4f;
    case opt::Isa::kAvx2:
      return int8 ? 0.7f : 0.4f;
    case opt::Isa::kAvx2Vnni:
      return int8 ? 0.95f : 0.4f;  // int8: the dense vpdpbusd GEMM
    case opt::Isa::kAvx512:
      return int8 ? 0.4f : 0.5f;
    case opt::Isa::kAvx512Vnni:
      return int8 ? 2.0f : 0.5f;  // int8: vpdpbusd won up to 90% zeros
  }
  return 2.0f;
}

void SparseConv::Prepare(const QuantSetup& q, DType input_dtype, int32_t out_c,
                         int32_t in_c, int64_t pixels, const TensorRef* filter,
                         const TensorRef* bias) {
  enabled = false;
  block = 1;
  const SparseMode mode = SparseModeFromEnv();
  if (mode == SparseMode::kOff || !UseOptimizedKernels() ||
      !filter->is_constant || (bias != nullptr && !bias->is_constant)) {
    return;
  }
  const int64_t n = int64_t{out_c} * in_c;
  bool int8 = false;
  if (q.kind == RequantKind::kFloat && input_dtype == DType::kFloat32 &&
      filter->dtype == DType::kFloat32) {
    zero_share = opt::ZeroShare(filter->Data<float>(), n);
    block_zero_share = opt::BlockZeroShare(filter->Data<float>(), out_c, in_c);
  } else if (input_dtype == DType::kInt8 && filter->dtype == DType::kInt8 &&
             (bias == nullptr || bias->dtype == DType::kInt32) &&
             (q.kind == RequantKind::kFp32 || q.kind == RequantKind::kFixedPoint ||
              q.kind == RequantKind::kSingleRounding)) {
    int8 = true;
    zero_share = opt::ZeroShare(filter->Data<int8_t>(), n);
    block_zero_share = opt::BlockZeroShare(filter->Data<int8_t>(), out_c, in_c);
  } else {
    return;
  }
  if (mode == SparseMode::kAuto) {
    if (pixels < kSparseMinPixels) return;
    const opt::Isa isa = opt::ActiveIsa();
    if (block_zero_share >= BlockSparseThreshold(isa, int8) &&
        1.0f - block_zero_share <= kBlockMaxStoredRatio * (1.0f - zero_share)) {
      block = 4;
    } else if (zero_share < SparseThreshold(isa, int8)) {
      return;
    }
  } else if (mode == SparseMode::kBlock) {
    block = 4;
  }
  packed = opt::PackedSparse();
  enabled = true;
  Packed(q, filter, bias);
}

const opt::PackedSparse& SparseConv::Packed(const QuantSetup& q,
                                            const TensorRef* filter,
                                            const TensorRef* bias) {
  const opt::Isa isa = opt::ActiveIsa();
  if (packed.Matches(isa, block)) return packed;
  const int32_t out_c = filter->shape.dim(0);
  const int32_t in_c =
      static_cast<int32_t>(filter->NumElements() / std::max(out_c, 1));
  if (filter->dtype == DType::kFloat32) {
    opt::PackSparseF32(isa, out_c, in_c, filter->Data<float>(),
                       BiasData<float>(bias), &packed, block);
  } else {
    opt::PackSparseQ8(isa, out_c, in_c, filter->Data<int8_t>(),
                      BiasData<int32_t>(bias), q.input_offset, &packed, block);
  }
  return packed;
}

void RunSparseFloat(SparseConv& s, const QuantSetup& q, int64_t pixels,
                    const ConvOperands& t, const opt::Parallel& par) {
  opt::SpmmF32(pixels, t.input->Data<float>(), s.Packed(q, t.filter, t.bias),
               q.float_act_min, q.float_act_max,
               t.output->MutableData<float>(), par);
}

}  // namespace detlite::runtime::conv
