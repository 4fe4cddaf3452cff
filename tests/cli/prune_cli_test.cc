// `detlite convert --prune` as a user runs it: the written file (read back
// and counted here, independently of the pruner) reaches the requested
// sparsity over the layers it may prune, keeps the first convolution and
// small layers dense, holds the block and 2:4 patterns, and stores the
// zeros sparse; bad flags give one clear error line and no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "cli/cli_run.h"
#include "core/fp16.h"
#include "importers/tflite/tflite_reader.h"
#include "kernels/reference/densify.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

const char kModel[] = "tflite/face_detection_full_range.tflite";

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 600); }

struct Layer {
  std::string name;
  Shape shape;
  std::vector<float> w;  // dense
  bool stored_sparse = false;
};

// Dense float weights of every CONV_2D, in op order, following DEQUANTIZE
// and DENSIFY back to the constant.
std::vector<Layer> ConvWeights(const ir::Model& m) {
  const ir::Subgraph& sg = m.subgraphs[0];
  std::vector<Layer> out;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kConv2D) continue;
    int32_t x = op.inputs[1];
    bool sparse = false;
    for (bool moved = true; moved && !sg.tensors[static_cast<size_t>(x)].is_constant();) {
      moved = false;
      for (const ir::Operator& p : sg.ops) {
        if (!p.outputs.empty() && p.outputs[0] == x &&
            (p.kind == ir::OpKind::kDequantize || p.kind == ir::OpKind::kDensify)) {
          x = p.inputs[0];
          moved = true;
        }
      }
    }
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
    const size_t elem = DTypeSize(t.dtype);
    std::vector<uint8_t> dense = *t.data;
    if (t.sparsity) {
      sparse = true;
      kernels::reference::DensifyPlan plan;
      EXPECT_TRUE(kernels::reference::PlanDensify(t.shape, *t.sparsity, &plan).ok());
      dense.assign(static_cast<size_t>(t.shape.NumElements()) * elem, 0);
      kernels::reference::Densify(plan, *t.sparsity, t.data->data(), elem, dense.data());
    }
    Layer l{t.name, t.shape, std::vector<float>(static_cast<size_t>(t.shape.NumElements())), sparse};
    for (size_t i = 0; i < l.w.size(); ++i) {
      if (t.dtype == DType::kInt8) {
        l.w[i] = static_cast<float>(static_cast<int8_t>(dense[i]));
      } else if (t.dtype == DType::kFloat16) {
        uint16_t h;
        std::memcpy(&h, dense.data() + 2 * i, 2);
        l.w[i] = HalfToFloat(h);
      } else {
        std::memcpy(&l.w[i], dense.data() + 4 * i, 4);
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

int64_t Zeros(const std::vector<float>& w) { return std::count(w.begin(), w.end(), 0.0f); }

std::vector<Layer> Prune(const std::string& out, std::vector<std::string> flags) {
  std::vector<std::string> args = {"convert", DataPath(kModel), "-o", out};
  args.insert(args.end(), flags.begin(), flags.end());
  auto r = Cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto m = ReadTfliteFile(out);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? ConvWeights(*m) : std::vector<Layer>{};
}

TEST(PruneCliTest, ReachesTheSparsityAndKeepsTheFirstConvDense) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto original = ReadTfliteFile(DataPath(kModel));
  ASSERT_TRUE(original.ok());
  const std::vector<Layer> before = ConvWeights(*original);
  const std::string out = TempDir() + "/pruned75.tflite";
  const std::vector<Layer> after =
      Prune(out, {"--prune", "0.75", "--calibration-data", photos, "--preset", "signed", "--prune-images", "2"});
  ASSERT_EQ(after.size(), before.size());
  int64_t zeros = 0, total = 0;
  int sparse = 0;
  for (size_t i = 0; i < after.size(); ++i) {
    const bool prunable = i > 0 && after[i].w.size() >= 1024;
    if (!prunable) {
      EXPECT_EQ(after[i].w, before[i].w) << after[i].name << " must stay dense";
      continue;
    }
    zeros += Zeros(after[i].w);
    total += static_cast<int64_t>(after[i].w.size());
    sparse += after[i].stored_sparse ? 1 : 0;
    // Pruning only zeroes: every kept weight is the original.
    for (size_t k = 0; k < after[i].w.size(); ++k) {
      if (after[i].w[k] != 0.0f) {
        ASSERT_EQ(after[i].w[k], before[i].w[k]) << after[i].name;
      }
    }
  }
  ASSERT_GT(total, 0);
  EXPECT_NEAR(static_cast<double>(zeros) / static_cast<double>(total), 0.75, 0.002);
  EXPECT_GT(sparse, 0);
  EXPECT_LT(std::filesystem::file_size(out), std::filesystem::file_size(DataPath(kModel)));
}

TEST(PruneCliTest, BlocksAndTwoOfFourHold) {
  for (const char* block : {"1x4", "4x1"}) {
    SCOPED_TRACE(block);
    const auto layers = Prune(TempDir() + "/block" + block + ".tflite", {"--prune", "0.5", "--block", block});
    int checked = 0;
    for (size_t i = 1; i < layers.size(); ++i) {
      const Layer& l = layers[i];
      if (l.w.size() < 1024 || Zeros(l.w) == 0) continue;
      const int64_t inner = static_cast<int64_t>(l.w.size()) / l.shape.dim(0);
      for (int64_t e = 0; e < static_cast<int64_t>(l.w.size()); ++e) {
        // Every weight's block is all zero or holds no pruned zero (a
        // trained weight is never exactly 0 here).
        const bool one_by_four = std::string(block) == "1x4";
        const int64_t first = one_by_four ? e / 4 * 4 : (e / inner / 4 * 4) * inner + e % inner;
        const int64_t step = one_by_four ? 1 : inner;
        int z = 0;
        for (int k = 0; k < 4; ++k) z += l.w[static_cast<size_t>(first + k * step)] == 0.0f;
        ASSERT_TRUE(z == 0 || z == 4) << l.name << " element " << e;
      }
      ++checked;
    }
    EXPECT_GT(checked, 10);
  }
  const auto layers = Prune(TempDir() + "/two_of_four.tflite", {"--prune", "0.4", "--pattern", "2:4"});
  int64_t zeros = 0, total = 0;
  for (size_t i = 1; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    if (l.w.size() < 1024) continue;
    total += static_cast<int64_t>(l.w.size());
    zeros += Zeros(l.w);
    if (Zeros(l.w) == 0) continue;
    for (size_t g = 0; g < l.w.size(); g += 4) {
      int z = 0;
      for (size_t k = g; k < g + 4; ++k) z += l.w[k] == 0.0f;
      ASSERT_GE(z, 2) << l.name << " group " << g;
    }
  }
  EXPECT_GE(static_cast<double>(zeros) / static_cast<double>(total), 0.4);
}

TEST(PruneCliTest, Int8WithAdaRoundAndBiasCorrectionKeepsTheZeros) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  // The same pruning flags (and photos) both times, so the same zeros.
  const std::vector<std::string> prune = {"--prune", "0.75", "--calibration-data", photos,
                                          "--preset", "signed", "--prune-images", "1"};
  const auto pruned = Prune(TempDir() + "/p75.tflite", prune);
  std::vector<std::string> quantize = prune;
  for (const char* f : {"--quantize", "int8", "--calibration-size", "2", "--weight-rounding",
                        "adaround", "--adaround-iterations", "20", "--bias-correction", "empirical"}) {
    quantize.push_back(f);
  }
  const auto q = Prune(TempDir() + "/p75_int8.tflite", quantize);
  ASSERT_EQ(pruned.size(), q.size());
  int64_t zeros = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    for (size_t k = 0; k < q[i].w.size(); ++k) {
      if (pruned[i].w[k] != 0.0f) continue;
      ++zeros;
      ASSERT_EQ(q[i].w[k], 0.0f) << q[i].name << " weight " << k << " refilled";
    }
  }
  EXPECT_GT(zeros, 100000);
}

TEST(PruneCliTest, BadFlagsGiveOneLineAndNoFile) {
  const std::string out = TempDir() + "/never.tflite";
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {"--prune", "1.5"}, {"--prune", "-0.1"}, {"--prune", "0.5", "--block", "3x3"},
           {"--prune", "0.75", "--pattern", "2:4"}, {"--prune", "0.5", "--pattern", "2:4", "--block", "1x4"}}) {
    std::vector<std::string> args = {"convert", DataPath(kModel), "-o", out};
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = Cli(args);
    EXPECT_NE(r.exit_code, 0) << flags[1];
    // Our own checks print one line; CLI11's choice check (--block 3x3)
    // adds its usual "Run with --help" line after the one naming the flag.
    const std::string first = r.err.substr(0, r.err.find('\n'));
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
    const bool names_flag = first.find("--prune") != std::string::npos ||
                            first.find("--block") != std::string::npos ||
                            first.find("--pattern") != std::string::npos;
    EXPECT_TRUE(names_flag) << r.err;
    EXPECT_NE(first.find(flags.size() > 2 ? flags[3] : flags[1]), std::string::npos) << first;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace detlite
