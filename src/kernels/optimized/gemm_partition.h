// How the indirect GEMMs (igemm_f32, qgemm) cut their output, tiles of mr
// pixels by panels of nr channels, into units of work for threads. Blocks of
// tiles keep their input rows in cache while every panel passes over them;
// with threads, blocks shrink until each thread can take several, and a
// layer with too few tiles for that (10x10 and smaller in a detector's
// head: a handful of tiles, hundreds of channels) is cut across panels too,
// so both threads get work instead of one taking the only block.
//
// A float layer whose weights outweigh its input (fewer pixels than output
// channels: the late 19x19 and 10x10 layers) is cut by panels first
// (`weight_heavy`, igemm_f32 only): cut by pixels, every thread streams all
// of the weights through its own cache for half of the multiply-adds each
// (on the SSD those layers ran only ~1.3x faster on 2 threads than on 1;
// docs/RESULTS.md, "Threads, round 4").
#ifndef DETLITE_KERNELS_OPTIMIZED_GEMM_PARTITION_H_
#define DETLITE_KERNELS_OPTIMIZED_GEMM_PARTITION_H_

#include <algorithm>
#include <cstdint>

#include "kernels/optimized/parallel.h"

namespace detlite::kernels::optimized {

// Below this many multiply-adds a task costs more to hand to another
// thread than to run (a pool hand-off is about a microsecond).
inline constexpr int64_t kMinMacsPerTask = 128 * 1024;

struct GemmPartition {
  int64_t block = 1;   // tiles per block
  int64_t blocks = 1;
  int panel_chunks = 1;       // panel ranges per block
  int panels_per_chunk = 1;
  int64_t min_units_per_task = 1;

  // Units are ordered block by block (each block's panel chunks in a row),
  // or with panel_major chunk by chunk; the pool gives each thread a
  // contiguous run of units.
  bool panel_major = false;

  int64_t units() const { return blocks * panel_chunks; }
  // Unit u covers tiles of block block_of(u), panels [first_panel, end_panel).
  int64_t block_of(int64_t u) const {
    return panel_major ? u % blocks : u / panel_chunks;
  }
  int first_panel(int64_t u) const {
    const int64_t chunk = panel_major ? u / blocks : u % panel_chunks;
    return static_cast<int>(chunk) * panels_per_chunk;
  }
  int end_panel(int64_t u, int panels) const {
    return std::min(panels, first_panel(u) + panels_per_chunk);
  }
};

// cache_block: tiles per block for the cache (>= 1); macs: the whole op's;
// weight_heavy: the weights are larger than the input (see above).
inline GemmPartition PartitionGemm(const Parallel& par, int64_t tiles,
                                   int panels, int64_t cache_block,
                                   int64_t macs, bool weight_heavy = false) {
  GemmPartition p;
  const int threads = par.run ? par.num_threads : 1;
  const int64_t target = int64_t{threads} * kRangesPerThread;
  p.block = std::max<int64_t>(1, cache_block);
  p.panels_per_chunk = std::max(1, panels);
  if (threads > 1 && weight_heavy && panels >= threads) {
    // Blocks stay cache-sized; the panels are what the threads share out.
    p.panel_major = true;
    const int64_t chunks = std::min<int64_t>(panels, target);
    p.panels_per_chunk = static_cast<int>((panels + chunks - 1) / chunks);
  } else if (threads > 1) {
    p.block = std::clamp<int64_t>((tiles + target - 1) / target, 1, p.block);
  }
  p.blocks = std::max<int64_t>(1, (tiles + p.block - 1) / p.block);
  if (!p.panel_major && threads > 1 && p.blocks < target && panels > 1) {
    const int64_t chunks =
        std::min<int64_t>(panels, (target + p.blocks - 1) / p.blocks);
    p.panels_per_chunk = static_cast<int>((panels + chunks - 1) / chunks);
  }
  p.panel_chunks = (std::max(1, panels) + p.panels_per_chunk - 1) /
                   p.panels_per_chunk;
  const int64_t units = p.units();
  p.min_units_per_task =
      macs > 0 ? std::max<int64_t>(1, (units * kMinMacsPerTask + macs - 1) / macs)
               : 1;
  return p;
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_GEMM_PARTITION_H_
