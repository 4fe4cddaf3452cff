// CONV_2D backward as GEMMs on the runtime's dispatched float igemm (the one
// CONV_2D's forward and AdaRound's d.H use), with the im2col / col2im
// bookkeeping here:
//   input grad:  dcols[P][K] = dz[P][O] . W[O][K], scattered back to dx
//   filter grad: dW[O][K]    = dz^T[O][P] . cols[P][K]  (on Eigen, see below)
// where P = output pixels, K = kh * kw * in_c, O = out_c. The igemm computes
// C[rows][n] = A[rows][k] . F[n][k]^T for a packed F, so each product packs
// the transposed right operand first, and runs on the threads of the
// Backward call (runtime::CurrentParallel). Grouped convs take the reference
// loop.
#include <Eigen/Core>

#include <algorithm>
#include <limits>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/igemm_f32.h"
#include "runtime/thread_pool.h"
#include "train/conv_grad_kernels.h"

namespace detlite::train {
namespace {

namespace opt = kernels::optimized;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;

// c[rows][n] = a[rows][k] . f[n][k]^T (c overwritten).
void Gemm(int64_t rows, int64_t k, int64_t n, const float* a, const float* f, float* c) {
  opt::PackedConvF32 packed;
  opt::PackConvF32(opt::ActiveIsa(), static_cast<int>(n), static_cast<int>(k), f, nullptr, &packed);
  kernels::ConvGeometry geo;
  geo.in_h = geo.out_h = static_cast<int32_t>(rows);
  geo.in_w = geo.out_w = geo.filter_h = geo.filter_w = 1;
  geo.in_c = static_cast<int32_t>(k);
  geo.out_c = static_cast<int32_t>(n);
  constexpr float kInf = std::numeric_limits<float>::infinity();
  opt::ConvFloatIgemm(geo, a, packed, -kInf, kInf, c, runtime::CurrentParallel());
}

std::vector<float> Transpose(const float* m, int64_t rows, int64_t cols) {
  std::vector<float> t(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) t[static_cast<size_t>(c * rows + r)] = m[r * cols + c];
  }
  return t;
}

// Calls f(p, tap, input_offset) for every output pixel p and filter tap
// (ky, kx) that lands inside the input; tap indexes K in steps of in_c.
template <typename F>
void ForEachTap(const kernels::ConvGeometry& g, F f) {
  int64_t p = 0;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox, ++p) {
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_w + kx * g.dilation_w;
            if (ix < 0 || ix >= g.in_w) continue;
            f(p, (int64_t{ky} * g.filter_w + kx) * g.in_c,
              ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c);
          }
        }
      }
    }
  }
}

}  // namespace

void ConvBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                  const float* dz, float* dx, float* dw, float* db) {
  if (g.groups > 1) {
    ConvBackwardReference(g, x, w, dz, dx, dw, db);
    return;
  }
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  const int64_t k = int64_t{g.filter_h} * g.filter_w * g.in_c;
  const int64_t o = g.out_c;
  // A 1x1, stride 1, unpadded conv reads each input pixel once, in order.
  const bool pointwise = g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 &&
                         g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0 &&
                         g.out_h == g.in_h && g.out_w == g.in_w;
  if (db != nullptr) {
    for (int64_t p = 0; p < pixels; ++p) {
      for (int64_t c = 0; c < o; ++c) db[c] += dz[p * o + c];
    }
  }
  if (pixels == 0 || k == 0 || o == 0) return;
  if (dx != nullptr) {
    const std::vector<float> wt = Transpose(w, o, k);  // [K][O]
    std::vector<float> dcols(static_cast<size_t>(pixels * k));
    Gemm(pixels, o, k, dz, wt.data(), dcols.data());
    if (pointwise) {
      for (size_t i = 0; i < dcols.size(); ++i) dx[i] += dcols[i];
    } else {
      ForEachTap(g, [&](int64_t p, int64_t tap, int64_t in) {
        const float* src = dcols.data() + p * k + tap;
        for (int c = 0; c < g.in_c; ++c) dx[in + c] += src[c];
      });
    }
  }
  if (dw != nullptr) {
    // The reduction runs over all P pixels with few rows on either side,
    // a shape the igemm (tiled over pixels) is slow at; Eigen's blocked
    // GEMM reads dz and cols in place.
    std::vector<float> cols;  // [P][K]
    const float* a = x;
    if (!pointwise) {
      cols.assign(static_cast<size_t>(pixels * k), 0.0f);
      ForEachTap(g, [&](int64_t p, int64_t tap, int64_t in) {
        std::copy(x + in, x + in + g.in_c, cols.begin() + p * k + tap);
      });
      a = cols.data();
    }
    // Threads take slices of output channels (rows of dW).
    using Strided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;
    const ConstMap am(a, pixels, k);
    ForChunks(o, 64, [&](int64_t c0, int64_t c1) {
      const Strided dzm(dz + c0, pixels, c1 - c0, Eigen::OuterStride<>(o));
      Eigen::Map<RowMatrix>(dw + c0 * k, c1 - c0, k).noalias() += dzm.transpose() * am;
    });
  }
}

}  // namespace detlite::train
