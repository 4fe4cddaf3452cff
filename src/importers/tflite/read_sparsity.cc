// Sparse tensors. The layout (TFLite's generalization of CSR): the n dense
// dimensions plus k block dimensions are visited in traversal_order; at each
// level a DENSE dimension multiplies the number of positions by its size, a
// SPARSE_CSR one replaces it by the entries its index arrays list
// (array_segments[p]..array_segments[p+1] for parent position p). Every
// array is checked here so a densifying kernel can trust it blindly.
#include <limits>

#include "importers/tflite/read_parts.h"

namespace detlite::tflite_import {
namespace {

// Reads one of the three index-vector widths into int32 values.
Status ReadIndexVector(const ReadContext& ctx, fb::SparseIndexVector type,
                       const void* table, const std::string& what,
                       std::vector<int32_t>* values, int* width) {
  switch (type) {
    case fb::SparseIndexVector::Int32Vector: {
      const auto* v = static_cast<const fb::Int32Vector*>(table);
      *values = ToVector<int32_t>(v ? v->values() : nullptr);
      *width = 32;
      return Status::Ok();
    }
    case fb::SparseIndexVector::Uint16Vector: {
      const auto* v = static_cast<const fb::Uint16Vector*>(table);
      *values = ToVector<uint16_t, int32_t>(v ? v->values() : nullptr);
      *width = 16;
      return Status::Ok();
    }
    case fb::SparseIndexVector::Uint8Vector: {
      const auto* v = static_cast<const fb::Uint8Vector*>(table);
      *values = ToVector<uint8_t, int32_t>(v ? v->values() : nullptr);
      *width = 8;
      return Status::Ok();
    }
    default:
      break;
  }
  return ctx.Corrupt(what + " has index vector type " +
                     std::to_string(static_cast<int>(type)));
}

}  // namespace

StatusOr<SparsityParams> ReadSparsity(const ReadContext& ctx,
                                      const fb::SparsityParameters& sp,
                                      const Shape& shape,
                                      const std::string& who,
                                      int64_t* stored_values) {
  SparsityParams out;
  out.traversal_order = ToVector<int32_t>(sp.traversal_order());
  out.block_map = ToVector<int32_t>(sp.block_map());
  const int n = shape.rank();
  const size_t k = out.block_map.size();
  const size_t levels = static_cast<size_t>(n) + k;
  const std::string w = who + " sparsity: ";
  if (n == 0 || k > static_cast<size_t>(n)) {
    return ctx.Corrupt(w + std::to_string(k) + " block dimensions for rank " +
                       std::to_string(n));
  }
  if (out.traversal_order.size() != levels) {
    return ctx.Corrupt(w + "traversal_order has " +
                       std::to_string(out.traversal_order.size()) +
                       " entries, expected " + std::to_string(levels));
  }
  std::vector<bool> seen(levels, false);
  for (int32_t d : out.traversal_order) {
    if (d < 0 || static_cast<size_t>(d) >= levels || seen[d]) {
      return ctx.Corrupt(w + "traversal_order is not a permutation of 0.." +
                         std::to_string(levels - 1));
    }
    seen[d] = true;
  }
  // Each original dimension is blocked at most once, which keeps the product
  // of all level extents equal to the element count (no overflow below).
  std::vector<bool> blocked(static_cast<size_t>(n), false);
  for (int32_t orig : out.block_map) {
    if (orig < 0 || orig >= n || blocked[static_cast<size_t>(orig)]) {
      return ctx.Corrupt(w + "block_map entry " + std::to_string(orig) +
                         " is out of range or repeated");
    }
    blocked[static_cast<size_t>(orig)] = true;
  }
  const auto* dm = sp.dim_metadata();
  if (dm == nullptr || dm->size() != levels) {
    return ctx.Corrupt(w + "dim_metadata has " +
                       std::to_string(dm ? dm->size() : 0) +
                       " entries, expected " + std::to_string(levels));
  }
  // Extent of every traversal dimension: block dimensions are dense and give
  // their block size; a blocked original dimension counts whole blocks.
  std::vector<int64_t> extent(levels);
  for (int d = 0; d < n; ++d) extent[d] = shape.dim(d);
  for (size_t level = 0; level < levels; ++level) {
    const size_t d = static_cast<size_t>(out.traversal_order[level]);
    if (d < static_cast<size_t>(n)) continue;
    const int32_t orig = out.block_map[d - n];
    const fb::DimensionMetadata* m = dm->Get(level);
    if (m->format() != fb::DimensionType::DENSE ||
        m->dense_size() <= 0 || shape.dim(orig) % m->dense_size() != 0) {
      return ctx.Corrupt(w + "block dimension " + std::to_string(d) +
                         " is not a dense block that divides its dimension");
    }
    extent[d] = m->dense_size();
    extent[orig] = shape.dim(orig) / m->dense_size();
  }
  int64_t positions = 1;
  for (size_t level = 0; level < levels; ++level) {
    const fb::DimensionMetadata* m = dm->Get(level);
    const int64_t ext = extent[static_cast<size_t>(out.traversal_order[level])];
    const std::string lw = w + "level " + std::to_string(level) + " ";
    SparsityParams::DimMetadata d;
    d.dense_size = m->dense_size();
    if (m->format() == fb::DimensionType::DENSE) {
      if (d.dense_size != ext) {
        return ctx.Corrupt(lw + "has dense_size " +
                           std::to_string(d.dense_size) + ", expected " +
                           std::to_string(ext));
      }
      positions *= ext;  // both bounded by the 4 GiB element cap
    } else if (m->format() == fb::DimensionType::SPARSE_CSR) {
      d.sparse_csr = true;
      RETURN_IF_ERROR(ReadIndexVector(ctx, m->array_segments_type(),
                                      m->array_segments(), lw + "segments",
                                      &d.array_segments, &d.segments_width));
      RETURN_IF_ERROR(ReadIndexVector(ctx, m->array_indices_type(),
                                      m->array_indices(), lw + "indices",
                                      &d.array_indices, &d.indices_width));
      const auto& seg = d.array_segments;
      if (static_cast<int64_t>(seg.size()) != positions + 1 || seg[0] != 0) {
        return ctx.Corrupt(lw + "has " + std::to_string(seg.size()) +
                           " segments, expected " +
                           std::to_string(positions + 1) + " starting at 0");
      }
      for (size_t i = 1; i < seg.size(); ++i) {
        if (seg[i] < seg[i - 1] || seg[i] - seg[i - 1] > ext) {
          return ctx.Corrupt(lw + "segment " + std::to_string(i) +
                             " is decreasing or longer than the dimension");
        }
      }
      if (static_cast<size_t>(seg.back()) != d.array_indices.size()) {
        return ctx.Corrupt(lw + "segments end at " + std::to_string(seg.back()) +
                           " but there are " +
                           std::to_string(d.array_indices.size()) + " indices");
      }
      for (int32_t idx : d.array_indices) {
        if (idx < 0 || idx >= ext) {
          return ctx.Corrupt(lw + "index " + std::to_string(idx) +
                             " is outside the dimension of " +
                             std::to_string(ext));
        }
      }
      positions = static_cast<int64_t>(d.array_indices.size());
    } else {
      return ctx.Corrupt(lw + "has unknown format " +
                         std::to_string(static_cast<int>(m->format())));
    }
    out.dim_metadata.push_back(std::move(d));
  }
  *stored_values = positions;
  return out;
}

}  // namespace detlite::tflite_import
