#include "kernels/optimized/spmm.h"

#include <algorithm>

namespace detlite::kernels::optimized {
namespace {

// Floats of the transposed input tile and the sums of one block (channels
// padded to whole 4x1 blocks).
size_t ScratchFloats(const PackedSparse& w) {
  const int units = (w.out_c + w.block - 1) / w.block;
  return static_cast<size_t>(w.in_c + units * w.block) *
         static_cast<size_t>(w.pb);
}

// The share of L1 one chunk of the transposed input takes.
constexpr int kChunkBytes = 16 * 1024;

// Per-thread scratch, grown as needed (a large malloc per layer call would
// map and fault fresh pages every time).
float* Scratch(size_t floats) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < floats) buffer.assign(floats, 0.0f);
  return buffer.data();
}

// Whether unit u (output channels [u * b, (u + 1) * b) within out_c) has a
// nonzero weight at input channel ic.
template <typename T>
bool UnitNonzero(const T* filter, int out_c, int in_c, int b, int u, int ic) {
  for (int oc = u * b; oc < std::min(out_c, (u + 1) * b); ++oc) {
    if (filter[int64_t{oc} * in_c + ic] != T{0}) return true;
  }
  return false;
}

template <typename T>
void PackStructure(Isa isa, int out_c, int in_c, const T* filter, int block,
                   PackedSparse* out) {
  out->isa = isa;
  out->block = block;
  out->out_c = out_c;
  out->in_c = in_c;
  out->pb = SpmmFor(isa).pb;
  out->chunk = std::max(1, kChunkBytes / (out->pb * 4));
  out->chunks = (in_c + out->chunk - 1) / out->chunk;
  const int units = (out_c + block - 1) / block;
  out->start.assign(static_cast<size_t>(out->chunks) * units + 1, 0);
  out->offset.clear();
  size_t s = 1;
  for (int k = 0; k < out->chunks; ++k) {
    const int ic1 = std::min(in_c, (k + 1) * out->chunk);
    for (int u = 0; u < units; ++u, ++s) {
      for (int ic = k * out->chunk; ic < ic1; ++ic) {
        if (UnitNonzero(filter, out_c, in_c, block, u, ic)) {
          out->offset.push_back(ic * out->pb);
        }
      }
      out->start[s] = static_cast<int32_t>(out->offset.size());
    }
  }
  out->nonzeros = static_cast<int64_t>(out->offset.size()) * block;
}

// Calls fn(value) for every stored weight in the packed order (block
// weights past out_c as 0).
template <typename T, typename Fn>
void ForNonzeros(const PackedSparse& p, const T* filter, Fn&& fn) {
  const int b = p.block, units = (p.out_c + b - 1) / b;
  for (int k = 0; k < p.chunks; ++k) {
    const int ic1 = std::min(p.in_c, (k + 1) * p.chunk);
    for (int u = 0; u < units; ++u) {
      for (int ic = k * p.chunk; ic < ic1; ++ic) {
        if (!UnitNonzero(filter, p.out_c, p.in_c, b, u, ic)) continue;
        for (int oc = u * b; oc < (u + 1) * b; ++oc) {
          fn(oc < p.out_c ? filter[int64_t{oc} * p.in_c + ic] : T{0});
        }
      }
    }
  }
}

template <typename T>
float BlockZeroShareOf(const T* w, int out_c, int in_c) {
  const int groups = (out_c + 3) / 4;
  if (groups == 0 || in_c <= 0) return 0;
  int64_t zero = 0;
  for (int g = 0; g < groups; ++g) {
    for (int ic = 0; ic < in_c; ++ic) {
      zero += UnitNonzero(w, out_c, in_c, 4, g, ic) ? 0 : 1;
    }
  }
  return static_cast<float>(zero) / static_cast<float>(int64_t{groups} * in_c);
}

// Runs block(p0, rows, oc0, oc1) over every pixel block, threads taking
// blocks, or output channels (in multiples of `width`) when there are
// fewer blocks than threads.
template <typename Fn>
void ForBlocks(int64_t pixels, const PackedSparse& w, int width,
               const Parallel& par, Fn&& block) {
  const int64_t blocks = (pixels + w.pb - 1) / w.pb;
  auto rows_of = [&](int64_t b) {
    return static_cast<int>(std::min<int64_t>(w.pb, pixels - b * w.pb));
  };
  if (blocks >= par.num_threads || w.out_c < 2 * width) {
    ParallelRanges(par, blocks, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) block(b * w.pb, rows_of(b), 0, w.out_c);
    });
    return;
  }
  const int64_t groups = (w.out_c + width - 1) / width;
  ParallelRanges(par, groups, 1, [&](int64_t g0, int64_t g1) {
    const int oc0 = static_cast<int>(g0 * width);
    const int oc1 = static_cast<int>(std::min<int64_t>(w.out_c, g1 * width));
    for (int64_t b = 0; b < blocks; ++b) block(b * w.pb, rows_of(b), oc0, oc1);
  });
}

}  // namespace

SpmmKernel SpmmFor(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return SpmmAvx512();
  if (isa >= Isa::kAvx2) return SpmmAvx2();
#endif
  return SpmmPortable();
}

float BlockZeroShare(const float* w, int out_c, int in_c) {
  return BlockZeroShareOf(w, out_c, in_c);
}

float BlockZeroShare(const int8_t* w, int out_c, int in_c) {
  return BlockZeroShareOf(w, out_c, in_c);
}

float ZeroShare(const float* w, int64_t n) {
  if (n <= 0) return 0;
  return static_cast<float>(std::count(w, w + n, 0.0f)) / static_cast<float>(n);
}

float ZeroShare(const int8_t* w, int64_t n) {
  if (n <= 0) return 0;
  return static_cast<float>(std::count(w, w + n, int8_t{0})) /
         static_cast<float>(n);
}

void PackSparseF32(Isa isa, int out_c, int in_c, const float* filter,
                   const float* bias, PackedSparse* out, int block) {
  PackStructure(isa, out_c, in_c, filter, block, out);
  out->value_f32.clear();
  out->value_f32.reserve(static_cast<size_t>(out->nonzeros));
  ForNonzeros(*out, filter, [&](float v) { out->value_f32.push_back(v); });
  out->bias_f32.assign(static_cast<size_t>((out_c + block - 1) / block * block), 0.0f);
  if (bias != nullptr) std::copy(bias, bias + out_c, out->bias_f32.begin());
}

void PackSparseQ8(Isa isa, int out_c, int in_c, const int8_t* filter,
                  const int32_t* bias, int32_t input_offset,
                  PackedSparse* out, int block) {
  PackStructure(isa, out_c, in_c, filter, block, out);
  out->value_i32.clear();
  out->value_i32.reserve(static_cast<size_t>(out->nonzeros));
  ForNonzeros(*out, filter, [&](int8_t v) {
    out->value_i32.push_back(static_cast<int32_t>(static_cast<uint16_t>(v)));
  });
  out->bias_i32.assign(static_cast<size_t>((out_c + block - 1) / block * block), 0);
  for (int oc = 0; oc < out_c; ++oc) {
    // sum (x + in_off) * w + b = sum x * w + (b + in_off * sum w), mod 2^32.
    uint32_t sum = bias != nullptr ? static_cast<uint32_t>(bias[oc]) : 0u;
    for (int ic = 0; ic < in_c; ++ic) {
      sum += static_cast<uint32_t>(input_offset *
                                   int32_t{filter[int64_t{oc} * in_c + ic]});
    }
    out->bias_i32[static_cast<size_t>(oc)] = static_cast<int32_t>(sum);
  }
}

void SpmmF32(int64_t pixels, const float* input, const PackedSparse& w,
             float lo, float hi, float* output, const Parallel& par) {
  const SpmmKernel k = SpmmFor(w.isa);
  ForBlocks(pixels, w, k.width, par, [&](int64_t p0, int rows, int oc0, int oc1) {
    SpmmBlockArgs a;
    a.rows = rows;
    a.input = input + p0 * w.in_c;
    a.oc0 = oc0;
    a.oc1 = oc1;
    a.scratch = Scratch(ScratchFloats(w));
    a.lo = lo;
    a.hi = hi;
    a.out = output + p0 * w.out_c;
    a.ldo = w.out_c;
    k.f32(w, a);
  });
}

void SpmmQ8(int64_t pixels, const int8_t* input, const PackedSparse& w,
            SpmmFinish finish, const void* finish_ctx, const Parallel& par) {
  const SpmmKernel k = SpmmFor(w.isa);
  ForBlocks(pixels, w, k.width, par, [&](int64_t p0, int rows, int oc0, int oc1) {
    // The sums of one block go after the tiles in the same scratch.
    const size_t tiles = ScratchFloats(w);
    float* scratch = Scratch(tiles + static_cast<size_t>(w.pb) * w.out_c);
    auto* acc = reinterpret_cast<int32_t*>(scratch + tiles);
    SpmmBlockArgs a;
    a.rows = rows;
    a.input = input + p0 * w.in_c;
    a.oc0 = oc0;
    a.oc1 = oc1;
    a.scratch = scratch;
    a.acc = acc;
    a.ldo = oc1 - oc0;
    k.q8(w, a);
    finish(finish_ctx, p0, rows, oc0, oc1 - oc0, acc, a.ldo);
  });
}

}  // namespace detlite::kernels::optimized
