#include "kernels/optimized/spmm.h"

#include <algorithm>

namespace detlite::kernels::optimized {
namespace {

// Floats of the transposed input tile and the sums of one block.
size_t ScratchFloats(const PackedSparse& w) {
  return static_cast<size_t>(w.in_c + w.out_c) * static_cast<size_t>(w.pb);
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

template <typename T>
void PackStructure(Isa isa, int out_c, int in_c, const T* filter,
                   PackedSparse* out) {
  out->isa = isa;
  out->out_c = out_c;
  out->in_c = in_c;
  out->pb = SpmmFor(isa).pb;
  out->chunk = std::max(1, kChunkBytes / (out->pb * 4));
  out->chunks = (in_c + out->chunk - 1) / out->chunk;
  out->start.assign(static_cast<size_t>(out->chunks) * out_c + 1, 0);
  out->offset.clear();
  size_t s = 1;
  for (int k = 0; k < out->chunks; ++k) {
    const int ic1 = std::min(in_c, (k + 1) * out->chunk);
    for (int oc = 0; oc < out_c; ++oc, ++s) {
      const T* row = filter + int64_t{oc} * in_c;
      for (int ic = k * out->chunk; ic < ic1; ++ic) {
        if (row[ic] != T{0}) out->offset.push_back(ic * out->pb);
      }
      out->start[s] = static_cast<int32_t>(out->offset.size());
    }
  }
  out->nonzeros = static_cast<int64_t>(out->offset.size());
}

// Calls fn(value) for every nonzero in the packed order.
template <typename T, typename Fn>
void ForNonzeros(const PackedSparse& p, const T* filter, Fn&& fn) {
  for (int k = 0; k < p.chunks; ++k) {
    const int ic1 = std::min(p.in_c, (k + 1) * p.chunk);
    for (int oc = 0; oc < p.out_c; ++oc) {
      const T* row = filter + int64_t{oc} * p.in_c;
      for (int ic = k * p.chunk; ic < ic1; ++ic) {
        if (row[ic] != T{0}) fn(row[ic]);
      }
    }
  }
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
                   const float* bias, PackedSparse* out) {
  PackStructure(isa, out_c, in_c, filter, out);
  out->value_f32.clear();
  out->value_f32.reserve(static_cast<size_t>(out->nonzeros));
  ForNonzeros(*out, filter, [&](float v) { out->value_f32.push_back(v); });
  out->bias_f32.assign(static_cast<size_t>(out_c), 0.0f);
  if (bias != nullptr) std::copy(bias, bias + out_c, out->bias_f32.begin());
}

void PackSparseQ8(Isa isa, int out_c, int in_c, const int8_t* filter,
                  const int32_t* bias, int32_t input_offset,
                  PackedSparse* out) {
  PackStructure(isa, out_c, in_c, filter, out);
  out->value_i32.clear();
  out->value_i32.reserve(static_cast<size_t>(out->nonzeros));
  ForNonzeros(*out, filter, [&](int8_t v) {
    out->value_i32.push_back(static_cast<int32_t>(static_cast<uint16_t>(v)));
  });
  out->bias_i32.assign(static_cast<size_t>(out_c), 0);
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
