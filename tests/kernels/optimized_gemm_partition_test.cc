// How the indirect GEMMs split work across threads (gemm_partition.h): the
// units cover every (tile, panel) pair exactly once, a detector head's few
// tiles are cut across panels, tiny layers stay on one thread; and the float
// igemm with a fused epilogue (residual with fewer channels, PRELU or clamp)
// gives the same bits on 2 and 3 threads as on one, on every ISA level,
// for head-sized layers where the epilogue runs on channel slices.
#include "kernels/optimized/gemm_partition.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/optimized/igemm_f32.h"
#include "kernels/optimized_test_util.h"
#include "kernels/reference/conv.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

using optimized::GemmPartition;
using optimized::PartitionGemm;

optimized::Parallel Threads(int n) {
  optimized::Parallel p;
  p.num_threads = n;
  p.run = [](int count, const std::function<void(int)>& fn) {
    for (int i = 0; i < count; ++i) fn(i);
  };
  return p;
}

TEST(GemmPartitionTest, UnitsCoverEveryTileAndPanelOnce) {
  for (int threads : {1, 2, 3, 8}) {
    for (int64_t tiles : {1, 2, 5, 13, 46, 700}) {
      for (int panels : {1, 2, 3, 10, 30}) {
       for (bool weight_heavy : {false, true}) {
        const GemmPartition p = PartitionGemm(
            threads > 1 ? Threads(threads) : optimized::Parallel{}, tiles,
            panels, 64, int64_t{1} << 30, weight_heavy);
        std::vector<int> hits(static_cast<size_t>(tiles * panels), 0);
        for (int64_t u = 0; u < p.units(); ++u) {
          const int64_t b = p.block_of(u);
          for (int64_t t = b * p.block; t < std::min(tiles, (b + 1) * p.block); ++t) {
            for (int pn = p.first_panel(u); pn < p.end_panel(u, panels); ++pn) {
              ++hits[static_cast<size_t>(t * panels + pn)];
            }
          }
        }
        for (int h : hits) {
          ASSERT_EQ(h, 1) << threads << " " << tiles << " " << panels << " " << weight_heavy;
        }
        if (threads == 1) {
          EXPECT_EQ(p.panel_chunks, 1);
        }
        // Weight-heavy layers share the panels out: the first half of the
        // units (one thread's share on 2 threads) reads only the first
        // panels, every tile of them.
        if (weight_heavy && threads == 2 && panels >= 2) {
          EXPECT_TRUE(p.panel_major);
          EXPECT_LT(p.first_panel(p.units() / 2 - 1), (panels + 1) / 2 + p.panels_per_chunk);
          EXPECT_GE(p.panel_chunks, 2);
        }
       }
      }
    }
  }
}

TEST(GemmPartitionTest, FewTilesAreCutAcrossPanels) {
  // A 10x10 head layer: 13 tiles of 8 pixels, 30 panels of 32 channels.
  const GemmPartition p = PartitionGemm(Threads(2), 13, 30, 64, 100LL * 960 * 320);
  EXPECT_GE(p.units(), 8);
  EXPECT_GT(p.panel_chunks, 1);
  EXPECT_LE(p.min_units_per_task, 1);
  // A 1x1 head layer of a few thousand MACs stays on one thread.
  const GemmPartition tiny = PartitionGemm(Threads(2), 1, 4, 64, 4096);
  EXPECT_GE(tiny.min_units_per_task, tiny.units());
}

// conv, then act(conv + residual) over out_c channels with the residual's
// res_c <= out_c, as the fused CONV_2D + ADD (+ PRELU / clamp) computes it.
TEST(GemmPartitionTest, ThreadedFusedIgemmEqualsSerialOnEveryIsa) {
  struct Case {
    int size, in_c, out_c, res_c, f;
    bool prelu;
  };
  const Case cases[] = {{5, 96, 300, 300, 1, false}, {3, 64, 546, 500, 1, true},
                        {10, 40, 200, 150, 1, true}, {4, 7, 90, 90, 3, false},
                        {2, 33, 97, 40, 3, true}};
  runtime::ThreadPool pool2(2), pool3(3);
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::mt19937 rng(21);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (const Case& c : cases) {
      ConvGeometry g;
      g.in_h = g.in_w = c.size;
      g.in_c = c.in_c;
      g.out_c = c.out_c;
      g.filter_h = g.filter_w = c.f;
      g.out_h = g.out_w = c.size;
      g.pad_h = g.pad_w = c.f / 2;
      const int k = c.f * c.f * c.in_c;
      std::vector<float> input(size_t(c.size) * c.size * c.in_c);
      std::vector<float> filter(size_t(c.out_c) * k), bias(c.out_c);
      std::vector<float> res(size_t(c.size) * c.size * c.res_c), alpha(c.out_c);
      for (auto* v : {&input, &filter, &bias, &res, &alpha}) {
        for (float& x : *v) x = d(rng);
      }
      optimized::PackedConvF32 packed;
      optimized::PackConvF32(isa, c.out_c, k, filter.data(), bias.data(), &packed);
      optimized::EltwiseF32Args e;
      e.channels = c.out_c;
      e.res = res.data();
      e.res_c = c.res_c;
      if (c.prelu) {
        e.alpha = alpha.data();
      } else {
        e.lo = 0.0f;
        e.hi = 6.0f;
      }
      const size_t out_size = size_t(c.size) * c.size * c.out_c;
      auto run = [&](runtime::ThreadPool* pool) {
        runtime::ScopedParallel scope(pool);
        std::vector<float> out(out_size, -7.0f);
        optimized::ConvFloatIgemm(g, input.data(), packed, -1e30f, 1e30f,
                                  out.data(), runtime::CurrentParallel(), &e);
        return out;
      };
      const std::vector<float> serial = run(nullptr);
      // The serial result against the unfused reference ops.
      std::vector<float> want(out_size);
      reference::ConvFloat(g, input.data(), filter.data(), bias.data(), -1e30f,
                           1e30f, want.data());
      for (size_t p = 0; p < size_t(c.size) * c.size; ++p) {
        for (int n = 0; n < c.out_c; ++n) {
          float& v = want[p * c.out_c + n];
          if (n < c.res_c) v += res[p * c.res_c + n];
          v = c.prelu ? (v >= 0 ? v : v * alpha[n]) : std::min(std::max(v, 0.0f), 6.0f);
        }
      }
      const float tol = testing::RangeTolerance(want, 1e-5f);
      for (size_t j = 0; j < out_size; ++j) {
        ASSERT_NEAR(want[j], serial[j], tol) << testing::Describe(g) << " at " << j;
      }
      EXPECT_TRUE(run(&pool2) == serial) << testing::Describe(g);
      EXPECT_TRUE(run(&pool3) == serial) << testing::Describe(g);
    }
  });
}

}  // namespace
}  // namespace detlite::kernels
