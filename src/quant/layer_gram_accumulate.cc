#include "quant/layer_gram_accumulate.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstring>

namespace detlite::quant {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int64_t kChunkRows = 256;

bool IsPointwise(const PatchGeometry& g) {
  return g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
         g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
}

}  // namespace

void FillPatch(const float* input, const PatchGeometry& g, int64_t n, int64_t oy, int64_t ox,
               float* row) {
  const int64_t c = g.channels;
  for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
    const int64_t iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
      const int64_t ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
      float* dst = row + (ky * g.kernel_w + kx) * c;
      if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
        std::fill(dst, dst + c, 0.0f);
      } else {
        std::memcpy(dst, input + ((n * g.in_h + iy) * g.in_w + ix) * c,
                    static_cast<size_t>(c) * sizeof(float));
      }
    }
  }
}

int64_t SamePaddingBefore(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                          int64_t dilation) {
  const int64_t total = (out - 1) * stride + (kernel - 1) * dilation + 1 - in;
  return std::max<int64_t>(total, 0) / 2;
}

void AccumulateConvGram(const float* input, const PatchGeometry& g, std::vector<double>& gram) {
  const int64_t k = g.taps() * g.channels;
  const int64_t positions = g.batch * g.out_h * g.out_w;
  Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(k, k);
  if (IsPointwise(g)) {
    Eigen::Map<const RowMatrix> x(input, positions, k);
    sum.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
  } else {
    RowMatrix chunk(std::min(kChunkRows, positions), k);
    int64_t rows = 0;
    auto flush = [&] {
      if (rows == 0) return;
      sum.selfadjointView<Eigen::Lower>().rankUpdate(chunk.topRows(rows).transpose());
      rows = 0;
    };
    for (int64_t n = 0; n < g.batch; ++n) {
      for (int64_t oy = 0; oy < g.out_h; ++oy) {
        for (int64_t ox = 0; ox < g.out_w; ++ox) {
          FillPatch(input, g, n, oy, ox, chunk.row(rows).data());
          if (++rows == chunk.rows()) flush();
        }
      }
    }
    flush();
  }
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t j = 0; j <= i; ++j) {
      const double v = sum(i, j);
      gram[static_cast<size_t>(i * k + j)] += v;
      if (j != i) gram[static_cast<size_t>(j * k + i)] += v;
    }
  }
}

void AccumulateDepthwiseGram(const float* input, const PatchGeometry& g,
                             std::vector<double>& gram) {
  const int64_t c = g.channels, taps = g.taps();
  // acc[(a * taps + b) * c + ch] for b <= a: channels innermost so the
  // update vectorizes.
  std::vector<float> acc(static_cast<size_t>(taps * taps * c), 0.0f);
  std::vector<float> patch(static_cast<size_t>(taps * c));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oy = 0; oy < g.out_h; ++oy) {
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        FillPatch(input, g, n, oy, ox, patch.data());
        for (int64_t a = 0; a < taps; ++a) {
          const float* pa = patch.data() + a * c;
          for (int64_t b = 0; b <= a; ++b) {
            const float* pb = patch.data() + b * c;
            float* dst = acc.data() + (a * taps + b) * c;
            for (int64_t ch = 0; ch < c; ++ch) dst[ch] += pa[ch] * pb[ch];
          }
        }
      }
    }
  }
  for (int64_t ch = 0; ch < c; ++ch) {
    double* h = gram.data() + ch * taps * taps;
    for (int64_t a = 0; a < taps; ++a) {
      for (int64_t b = 0; b <= a; ++b) {
        const double v = acc[static_cast<size_t>((a * taps + b) * c + ch)];
        h[a * taps + b] += v;
        if (a != b) h[b * taps + a] += v;
      }
    }
  }
}

}  // namespace detlite::quant
