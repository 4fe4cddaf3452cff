// A measurement aid for bench/sparse_kernels.sh, not a pruner: zeroes the
// given share of smallest-magnitude weights in every float CONV_2D 1x1
// (except the model's first convolution) alike, so the sparse kernels can be
// timed on a model whose zeros are spread over every 1x1 layer (detlite's
// --prune allocates them by sensitivity instead). Weights stay dense in the
// file; detlite's runtime decides on their zero share. With 4x1, the
// smallest 4x1 blocks (4 output channels at one input channel, by L2 norm,
// as `--block 4x1` ranks them) instead of single weights.
//   sparse_uniform_prune IN.tflite OUT.tflite SHARE [4x1]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "detlite/model.h"
#include "ir/graph.h"
#include "prune/magnitude.h"

int main(int argc, char** argv) {
  if (argc != 4 && !(argc == 5 && std::strcmp(argv[4], "4x1") == 0)) {
    std::fprintf(stderr, "usage: %s IN.tflite OUT.tflite SHARE [4x1]\n", argv[0]);
    return 2;
  }
  auto loaded = detlite::Model::Load(argv[1]);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  const double share = std::atof(argv[3]);
  auto ir = std::make_shared<detlite::ir::Model>(loaded->ir());
  auto& sg = ir->subgraphs[0];
  bool first = true;
  int layers = 0;
  for (const auto& op : sg.ops) {
    if (op.kind != detlite::ir::OpKind::kConv2D) continue;
    auto& w = sg.tensors[static_cast<size_t>(op.inputs[1])];
    const bool skip = first;
    first = false;
    if (skip || !w.is_constant() || w.dtype != detlite::DType::kFloat32 ||
        w.shape.dim(1) != 1 || w.shape.dim(2) != 1) {
      continue;
    }
    std::vector<float> v(w.data->size() / 4);
    std::memcpy(v.data(), w.data->data(), w.data->size());
    if (argc == 5) {
      const std::vector<bool> mask = detlite::prune::MagnitudeMask(
          v, w.shape, static_cast<float>(share), detlite::PruneBlock::k4x1,
          detlite::PrunePattern::kNone);
      for (size_t i = 0; i < v.size(); ++i) v[i] = mask[i] ? 0.0f : v[i];
      auto bytes = std::make_shared<detlite::ir::Bytes>(w.data->size());
      std::memcpy(bytes->data(), v.data(), bytes->size());
      w.data = bytes;
      ++layers;
      continue;
    }
    std::vector<float> mag(v.size());
    for (size_t i = 0; i < v.size(); ++i) mag[i] = std::fabs(v[i]);
    const size_t k = static_cast<size_t>(share * static_cast<double>(v.size()));
    if (k == 0) continue;
    std::nth_element(mag.begin(), mag.begin() + (k - 1), mag.end());
    const float cut = mag[k - 1];
    size_t zeroed = 0;
    for (float& x : v) {
      if (std::fabs(x) <= cut && zeroed < k) {
        x = 0;
        ++zeroed;
      }
    }
    auto bytes = std::make_shared<detlite::ir::Bytes>(w.data->size());
    std::memcpy(bytes->data(), v.data(), bytes->size());
    w.data = bytes;
    ++layers;
  }
  const detlite::Status st = detlite::Model(ir).Save(argv[2]);
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("zeroed %.0f%% of the weights of %d CONV_2D 1x1 layers\n", share * 100, layers);
  return 0;
}
