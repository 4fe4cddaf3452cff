#include "core/sparsity.h"

#include <cstring>
#include <string>

namespace detlite {
namespace {

int Width(int64_t max_value) {
  if (max_value <= 0xff) return 8;
  if (max_value <= 0xffff) return 16;
  return 32;
}

bool IsZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

SparseLayout PlainCsrLayout(int rank) {
  SparseLayout l;
  for (int d = 0; d < rank; ++d) {
    l.traversal_order.push_back(d);
    l.csr.push_back(d == rank - 1);
  }
  return l;
}

SparseLayout BlockCsrLayout(int rank, int dim, int block_size) {
  SparseLayout l;
  for (int d = 0; d <= rank; ++d) l.traversal_order.push_back(d);
  l.block_map = {dim};
  l.block_size = {block_size};
  // The last original dimension is the compressed one; its entries are
  // blocks when it is the blocked dimension, single columns otherwise.
  for (int d = 0; d <= rank; ++d) l.csr.push_back(d == rank - 1);
  return l;
}

SparseLayout LayoutOf(const SparsityParams& sp) {
  SparseLayout l;
  l.traversal_order = sp.traversal_order;
  l.block_map = sp.block_map;
  const size_t n = sp.traversal_order.size() - sp.block_map.size();
  l.block_size.assign(sp.block_map.size(), 1);
  for (size_t level = 0; level < sp.traversal_order.size(); ++level) {
    const auto& m = sp.dim_metadata[level];
    l.csr.push_back(m.sparse_csr);
    const auto d = static_cast<size_t>(sp.traversal_order[level]);
    if (d >= n) l.block_size[d - n] = m.dense_size;
  }
  return l;
}

StatusOr<SparseEncoding> EncodeSparse(const Shape& shape, const SparseLayout& layout,
                                      const uint8_t* dense, size_t element_size) {
  const int n = shape.rank();
  const int k = static_cast<int>(layout.block_map.size());
  const int levels = n + k;
  auto bad = [&](const std::string& m) {
    return InvalidArgument("sparse layout for shape " + shape.ToString() + ": " + m);
  };
  if (n == 0 || static_cast<int>(layout.traversal_order.size()) != levels ||
      static_cast<int>(layout.csr.size()) != levels ||
      static_cast<int>(layout.block_size.size()) != k) {
    return bad("level counts do not match the rank");
  }
  std::vector<int64_t> extent(static_cast<size_t>(levels));
  for (int d = 0; d < n; ++d) extent[static_cast<size_t>(d)] = shape.dim(d);
  std::vector<int> block_of(static_cast<size_t>(n), -1);
  for (int b = 0; b < k; ++b) {
    const int32_t d = layout.block_map[static_cast<size_t>(b)];
    const int32_t bs = layout.block_size[static_cast<size_t>(b)];
    if (d < 0 || d >= n || block_of[static_cast<size_t>(d)] >= 0 || bs <= 0 ||
        shape.dim(d) % bs != 0) {
      return bad("block of " + std::to_string(bs) + " does not divide dimension " +
                 std::to_string(d));
    }
    block_of[static_cast<size_t>(d)] = b;
    extent[static_cast<size_t>(d)] = shape.dim(d) / bs;
    extent[static_cast<size_t>(n + b)] = bs;
  }
  std::vector<bool> seen(static_cast<size_t>(levels), false);
  std::vector<int64_t> level_ext(static_cast<size_t>(levels));
  for (int l = 0; l < levels; ++l) {
    const int32_t d = layout.traversal_order[static_cast<size_t>(l)];
    const bool ok = l < n ? (d >= 0 && d < n) : (d >= n && d < levels);
    if (!ok || seen[static_cast<size_t>(d)]) return bad("traversal_order is not valid");
    if (d >= n && layout.csr[static_cast<size_t>(l)]) return bad("a block level must be dense");
    seen[static_cast<size_t>(d)] = true;
    level_ext[static_cast<size_t>(l)] = extent[static_cast<size_t>(d)];
  }
  const int64_t total = shape.NumElements();
  // Level-space id of every element, and which prefixes hold a nonzero.
  std::vector<int64_t> suffix(static_cast<size_t>(levels) + 1, 1);
  for (int l = levels - 1; l >= 0; --l) {
    suffix[static_cast<size_t>(l)] = suffix[static_cast<size_t>(l) + 1] * level_ext[static_cast<size_t>(l)];
  }
  std::vector<int64_t> dense_of(static_cast<size_t>(total));
  std::vector<std::vector<bool>> nonzero(static_cast<size_t>(levels));
  for (int l = 0; l < levels; ++l) {
    if (layout.csr[static_cast<size_t>(l)]) {
      nonzero[static_cast<size_t>(l)].assign(static_cast<size_t>(total / suffix[static_cast<size_t>(l) + 1]), false);
    }
  }
  std::vector<int64_t> coord(static_cast<size_t>(n)), idx(static_cast<size_t>(levels));
  for (int64_t e = 0; e < total; ++e) {
    int64_t rest = e;
    for (int d = n - 1; d >= 0; --d) {
      coord[static_cast<size_t>(d)] = rest % shape.dim(d);
      rest /= shape.dim(d);
    }
    for (int d = 0; d < n; ++d) {
      const int b = block_of[static_cast<size_t>(d)];
      const int64_t c = coord[static_cast<size_t>(d)];
      if (b < 0) {
        idx[static_cast<size_t>(d)] = c;
      } else {
        const int64_t bs = layout.block_size[static_cast<size_t>(b)];
        idx[static_cast<size_t>(d)] = c / bs;
        idx[static_cast<size_t>(n + b)] = c % bs;
      }
    }
    int64_t id = 0;
    for (int l = 0; l < levels; ++l) {
      id = id * level_ext[static_cast<size_t>(l)] +
           idx[static_cast<size_t>(layout.traversal_order[static_cast<size_t>(l)])];
    }
    dense_of[static_cast<size_t>(id)] = e;
    if (IsZero(dense + e * static_cast<int64_t>(element_size), element_size)) continue;
    for (int l = 0; l < levels; ++l) {
      if (!nonzero[static_cast<size_t>(l)].empty()) {
        nonzero[static_cast<size_t>(l)][static_cast<size_t>(id / suffix[static_cast<size_t>(l) + 1])] = true;
      }
    }
  }
  SparseEncoding enc;
  enc.params.traversal_order = layout.traversal_order;
  enc.params.block_map = layout.block_map;
  std::vector<int64_t> positions = {0};
  for (int l = 0; l < levels; ++l) {
    const int64_t ext = level_ext[static_cast<size_t>(l)];
    SparsityParams::DimMetadata m;
    std::vector<int64_t> next;
    if (!layout.csr[static_cast<size_t>(l)]) {
      m.dense_size = static_cast<int32_t>(ext);
      next.reserve(positions.size() * static_cast<size_t>(ext));
      for (int64_t p : positions) {
        for (int64_t i = 0; i < ext; ++i) next.push_back(p * ext + i);
      }
    } else {
      m.sparse_csr = true;
      m.array_segments.push_back(0);
      for (int64_t p : positions) {
        for (int64_t i = 0; i < ext; ++i) {
          if (!nonzero[static_cast<size_t>(l)][static_cast<size_t>(p * ext + i)]) continue;
          next.push_back(p * ext + i);
          m.array_indices.push_back(static_cast<int32_t>(i));
        }
        m.array_segments.push_back(static_cast<int32_t>(m.array_indices.size()));
      }
      m.segments_width = Width(m.array_segments.back());
      m.indices_width = Width(ext - 1);
      enc.payload_bytes += static_cast<int64_t>(m.array_segments.size()) * m.segments_width / 8 +
                           static_cast<int64_t>(m.array_indices.size()) * m.indices_width / 8;
    }
    enc.params.dim_metadata.push_back(std::move(m));
    positions = std::move(next);
  }
  enc.values.resize(positions.size() * element_size);
  for (size_t i = 0; i < positions.size(); ++i) {
    std::memcpy(enc.values.data() + i * element_size,
                dense + dense_of[static_cast<size_t>(positions[i])] * static_cast<int64_t>(element_size),
                element_size);
  }
  enc.payload_bytes += static_cast<int64_t>(enc.values.size());
  return enc;
}

}  // namespace detlite
