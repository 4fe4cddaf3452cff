// Element rearrangements on plain buffers, by element type T (the runtime
// dispatches by element size): SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND on
// [batch, height, width, channels] (a rank-3 input is [batch, height, 1,
// channels]), REVERSE_V2, BROADCAST_TO and GATHER_ND.
#ifndef DETLITE_KERNELS_REFERENCE_REARRANGE_H_
#define DETLITE_KERNELS_REFERENCE_REARRANGE_H_

#include <cstdint>
#include <vector>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"

namespace detlite::kernels::reference {

struct SpaceBatchGeometry {
  int64_t batch = 0, height = 0, width = 0, channels = 0;  // of the space side
  int64_t block_h = 1, block_w = 1;
  int64_t before_h = 0, before_w = 0;  // padding (space to batch) or crop (batch to space)
  int64_t out_h = 0, out_w = 0;        // spatial size of the batch side
};

// out[(by * block_w + bx) * batch + b, y, x, c] =
//   in[b, y * block_h + by - before_h, x * block_w + bx - before_w, c], `pad`
// where that lies outside the input.
template <typename T>
void SpaceToBatch(const SpaceBatchGeometry& g, const T* in, T pad, T* out) {
  for (int64_t by = 0; by < g.block_h; ++by) {
    for (int64_t bx = 0; bx < g.block_w; ++bx) {
      for (int64_t b = 0; b < g.batch; ++b) {
        for (int64_t y = 0; y < g.out_h; ++y) {
          const int64_t iy = y * g.block_h + by - g.before_h;
          for (int64_t x = 0; x < g.out_w; ++x) {
            const int64_t ix = x * g.block_w + bx - g.before_w;
            const bool inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width;
            const T* src = in + ((b * g.height + iy) * g.width + ix) * g.channels;
            for (int64_t c = 0; c < g.channels; ++c) *out++ = inside ? src[c] : pad;
          }
        }
      }
    }
  }
}

// The inverse: out[b, y, x, c] (y, x over height, width of the space side,
// which here is the output) = in[(by * block_w + bx) * batch + b, iy, ix, c]
// with y + before_h = iy * block_h + by (crops).
template <typename T>
void BatchToSpace(const SpaceBatchGeometry& g, const T* in, T* out) {
  for (int64_t b = 0; b < g.batch; ++b) {
    for (int64_t y = 0; y < g.height; ++y) {
      const int64_t yy = y + g.before_h, iy = yy / g.block_h, by = yy % g.block_h;
      for (int64_t x = 0; x < g.width; ++x) {
        const int64_t xx = x + g.before_w, ix = xx / g.block_w, bx = xx % g.block_w;
        const int64_t ib = (by * g.block_w + bx) * g.batch + b;
        const T* src = in + ((ib * g.out_h + iy) * g.out_w + ix) * g.channels;
        for (int64_t c = 0; c < g.channels; ++c) *out++ = src[c];
      }
    }
  }
}

// Reverses the dimensions where flip[d] is set.
template <typename T>
void Reverse(const Shape& shape, const std::vector<bool>& flip, const T* in, T* out) {
  const int rank = shape.rank();
  const int64_t total = shape.NumElements();
  std::vector<int64_t> stride(static_cast<size_t>(rank), 1);
  for (int d = rank - 2; d >= 0; --d) stride[static_cast<size_t>(d)] = stride[static_cast<size_t>(d) + 1] * shape.dim(d + 1);
  for (int64_t i = 0; i < total; ++i) {
    int64_t rest = i, src = 0;
    for (int d = 0; d < rank; ++d) {
      const size_t k = static_cast<size_t>(d);
      const int64_t at = rest / stride[k];
      rest %= stride[k];
      src += (flip[k] ? shape.dim(d) - 1 - at : at) * stride[k];
    }
    out[i] = in[src];
  }
}

template <typename T>
void BroadcastTo(const Shape& in_shape, const T* in, const Shape& out_shape, T* out) {
  const int rank = out_shape.rank();
  const int64_t total = out_shape.NumElements();
  const std::vector<int64_t> s = BroadcastStrides(in_shape, out_shape);
  for (int64_t i = 0; i < total; ++i) {
    int64_t rest = i, src = 0;
    for (int d = rank - 1; d >= 0; --d) {
      src += (rest % out_shape.dim(d)) * s[static_cast<size_t>(d)];
      rest /= out_shape.dim(d);
    }
    out[i] = in[src];
  }
}

// out[i, :] = params[indices[i, 0..k), :] for `count` index tuples of k
// entries, each slice `slice` elements; false at the first out-of-range
// index (*bad set to its tuple number).
template <typename T, typename I>
bool GatherNd(const Shape& params, const T* in, const I* indices, int64_t count, int k,
              int64_t slice, T* out, int64_t* bad) {
  for (int64_t i = 0; i < count; ++i) {
    int64_t offset = 0;
    for (int j = 0; j < k; ++j) {
      const int64_t x = static_cast<int64_t>(indices[i * k + j]);
      if (x < 0 || x >= params.dim(j)) {
        *bad = i;
        return false;
      }
      offset = offset * params.dim(j) + x;
    }
    for (int64_t e = 0; e < slice; ++e) out[i * slice + e] = in[offset * slice + e];
  }
  return true;
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_REARRANGE_H_
