// DENSIFY: expands a constant tensor stored in TFLite's sparse format
// (core/quant_params.h: SparsityParams) to its dense row-major layout.
//
// The format: the n dense dimensions plus k block dimensions (one per entry
// of block_map, each splitting original dimension block_map[b] into
// blocks of the size given by its DENSE level) are visited in
// traversal_order. Level l is either DENSE (every index 0..dense_size-1) or
// SPARSE_CSR: for the position p reached through the levels above, the
// indices visited are array_indices[array_segments[p] .. array_segments[p+1]).
// A DENSE level's child position is p * dense_size + i, a SPARSE_CSR level's
// is the position in array_indices. The stored values are consumed in
// visiting order; every element not visited is zero.
//
// ValidateSparsity checks everything the expansion relies on (so a corrupt
// description is an error, never an out-of-bounds access); Densify then
// trusts it.
#ifndef DETLITE_KERNELS_REFERENCE_DENSIFY_H_
#define DETLITE_KERNELS_REFERENCE_DENSIFY_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/quant_params.h"
#include "core/shape.h"
#include "detlite/status.h"

namespace detlite::kernels::reference {

struct DensifyPlan {
  std::vector<int32_t> dense_shape;
  std::vector<int32_t> level_dim;     // traversal_order
  std::vector<int32_t> level_extent;  // indices a level can reach
  std::vector<int32_t> block_size;    // per block dimension
  int64_t stored_values = 0;          // values the traversal consumes
};

// Checks `sp` against `shape` and computes the plan. TFLite takes block b's
// size from the DENSE level listed at traversal_order[n + b]; that equals the
// level that visits block dimension n + b whenever the block dimensions'
// order is a product of swaps (always for k <= 2); detlite uses the level
// that visits it, which is what the format describes.
inline Status PlanDensify(const Shape& shape, const SparsityParams& sp,
                          DensifyPlan* plan) {
  const int n = shape.rank();
  const int k = static_cast<int>(sp.block_map.size());
  const int levels = n + k;
  auto bad = [](const std::string& m) { return InvalidArgument("sparsity: " + m); };
  if (n == 0 || k > n) return bad("rank " + std::to_string(n) + " with " + std::to_string(k) + " block dimensions");
  if (static_cast<int>(sp.traversal_order.size()) != levels ||
      static_cast<int>(sp.dim_metadata.size()) != levels) {
    return bad("traversal_order and dim_metadata need " + std::to_string(levels) + " entries");
  }
  // The first n levels visit the original dimensions, the last k the block
  // dimensions (TFLite's expansion indexes by that split).
  std::vector<bool> seen(static_cast<size_t>(levels), false);
  for (int l = 0; l < levels; ++l) {
    const int32_t d = sp.traversal_order[static_cast<size_t>(l)];
    const bool in_range = l < n ? (d >= 0 && d < n) : (d >= n && d < levels);
    if (!in_range || seen[static_cast<size_t>(d)]) return bad("traversal_order is not a valid permutation");
    seen[static_cast<size_t>(d)] = true;
  }
  std::vector<int32_t> extent(static_cast<size_t>(levels));
  for (int d = 0; d < n; ++d) {
    if (shape.dim(d) < 0) return bad("negative dimension");
    extent[static_cast<size_t>(d)] = shape.dim(d);
  }
  plan->block_size.assign(static_cast<size_t>(k), 0);
  std::vector<bool> blocked(static_cast<size_t>(n), false);
  for (int l = n; l < levels; ++l) {
    const int b = sp.traversal_order[static_cast<size_t>(l)] - n;
    const int32_t orig = sp.block_map[static_cast<size_t>(b)];
    const auto& m = sp.dim_metadata[static_cast<size_t>(l)];
    if (orig < 0 || orig >= n || blocked[static_cast<size_t>(orig)]) return bad("bad block_map");
    blocked[static_cast<size_t>(orig)] = true;
    if (m.sparse_csr || m.dense_size <= 0 || shape.dim(orig) % m.dense_size != 0) {
      return bad("block dimension " + std::to_string(n + b) + " is not a dense block dividing its dimension");
    }
    plan->block_size[static_cast<size_t>(b)] = m.dense_size;
    extent[static_cast<size_t>(n + b)] = m.dense_size;
    extent[static_cast<size_t>(orig)] = shape.dim(orig) / m.dense_size;
  }
  plan->dense_shape = shape.dims();
  plan->level_dim = sp.traversal_order;
  plan->level_extent.resize(static_cast<size_t>(levels));
  int64_t positions = 1;  // positions reaching the current level
  for (int l = 0; l < levels; ++l) {
    const auto& m = sp.dim_metadata[static_cast<size_t>(l)];
    const int32_t ext = extent[static_cast<size_t>(sp.traversal_order[static_cast<size_t>(l)])];
    plan->level_extent[static_cast<size_t>(l)] = ext;
    const std::string lw = "level " + std::to_string(l) + ": ";
    if (!m.sparse_csr) {
      if (m.dense_size != ext) return bad(lw + "dense_size " + std::to_string(m.dense_size) + ", expected " + std::to_string(ext));
      positions *= ext;
      if (positions > (int64_t{1} << 40)) return bad(lw + "too many positions");
      continue;
    }
    const auto& seg = m.array_segments;
    if (static_cast<int64_t>(seg.size()) != positions + 1 || seg[0] != 0) {
      return bad(lw + std::to_string(seg.size()) + " segments, expected " + std::to_string(positions + 1) + " starting at 0");
    }
    for (size_t i = 1; i < seg.size(); ++i) {
      if (seg[i] < seg[i - 1] || seg[i] - seg[i - 1] > ext) return bad(lw + "segments decrease or overflow the dimension");
    }
    if (static_cast<size_t>(seg.back()) != m.array_indices.size()) return bad(lw + "segments do not end at the index count");
    for (int32_t idx : m.array_indices) {
      if (idx < 0 || idx >= ext) return bad(lw + "index " + std::to_string(idx) + " outside 0.." + std::to_string(ext - 1));
    }
    positions = static_cast<int64_t>(m.array_indices.size());
  }
  plan->stored_values = positions;
  return Status::Ok();
}

namespace densify_internal {

struct Walker {
  const DensifyPlan& plan;
  const SparsityParams& sp;
  const uint8_t* values;
  size_t element_size;
  uint8_t* dense;
  std::vector<int32_t> index;  // per level
  int64_t next_value = 0;

  void Visit(int level, int64_t position) {
    const int levels = static_cast<int>(plan.level_dim.size());
    if (level == levels) {
      Emit();
      return;
    }
    const auto& m = sp.dim_metadata[static_cast<size_t>(level)];
    if (!m.sparse_csr) {
      const int32_t ext = plan.level_extent[static_cast<size_t>(level)];
      for (int32_t i = 0; i < ext; ++i) {
        index[static_cast<size_t>(level)] = i;
        Visit(level + 1, position * ext + i);
      }
      return;
    }
    const auto p = static_cast<size_t>(position);
    for (int32_t j = m.array_segments[p]; j < m.array_segments[p + 1]; ++j) {
      index[static_cast<size_t>(level)] = m.array_indices[static_cast<size_t>(j)];
      Visit(level + 1, j);
    }
  }

  void Emit() {
    const int n = static_cast<int>(plan.dense_shape.size());
    const int levels = static_cast<int>(plan.level_dim.size());
    std::vector<int64_t> coord(static_cast<size_t>(n), 0);
    for (int l = 0; l < n; ++l) {
      coord[static_cast<size_t>(plan.level_dim[static_cast<size_t>(l)])] = index[static_cast<size_t>(l)];
    }
    // Block levels refine the coordinate of the dimension they split.
    for (int l = n; l < levels; ++l) {
      const int b = plan.level_dim[static_cast<size_t>(l)] - n;
      const auto orig = static_cast<size_t>(sp.block_map[static_cast<size_t>(b)]);
      coord[orig] = coord[orig] * plan.block_size[static_cast<size_t>(b)] + index[static_cast<size_t>(l)];
    }
    int64_t flat = 0;
    for (int d = 0; d < n; ++d) flat = flat * plan.dense_shape[static_cast<size_t>(d)] + coord[static_cast<size_t>(d)];
    std::memcpy(dense + flat * static_cast<int64_t>(element_size),
                values + next_value * static_cast<int64_t>(element_size), element_size);
    ++next_value;
  }
};

}  // namespace densify_internal

// `values` holds plan.stored_values elements of `element_size` bytes;
// `dense` receives product(shape) elements (zero where nothing is stored:
// all-zero bytes are 0 for every type DENSIFY supports).
inline void Densify(const DensifyPlan& plan, const SparsityParams& sp,
                    const uint8_t* values, size_t element_size, uint8_t* dense) {
  int64_t total = 1;
  for (int32_t d : plan.dense_shape) total *= d;
  std::memset(dense, 0, static_cast<size_t>(total) * element_size);
  densify_internal::Walker w{plan, sp, values, element_size, dense,
                             std::vector<int32_t>(plan.level_dim.size(), 0)};
  w.Visit(0, 0);
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_DENSIFY_H_
