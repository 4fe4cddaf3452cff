// The layer Grams of quant/layer_gram.h predict exactly how a change dW of
// a real layer's weights moves its output: E|dW x|^2 from the Gram equals
// the mean over output positions of |y(W + dW) - y(W)|^2 measured by running
// BlazeFace (short range) on real photos. Covers a 5x5 stride-2 conv with
// SAME padding, 1x1 convs, and depthwise convs of stride 1 and 2.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <variant>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "quant/conv_layer.h"
#include "quant/fold_float_weights.h"
#include "quant/layer_gram.h"
#include "runtime/interpreter.h"
#include "support/paths.h"

namespace detlite::quant {
namespace {

int Stride(const ir::Operator& op) {
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->stride_h;
  if (const auto* d = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return d->stride_h;
  return 1;
}

// Sum over samples and positions of |output of op|^2 differences.
StatusOr<double> OutputChange(const ir::Model& a, const ir::Model& b, int op,
                              const std::vector<std::vector<uint8_t>>& samples, int64_t* positions) {
  runtime::InterpreterOptions io;
  io.preserve_all_tensors = true;
  ASSIGN_OR_RETURN(auto ia, runtime::Interpreter::Create(a, io));
  ASSIGN_OR_RETURN(auto ib, runtime::Interpreter::Create(b, io));
  const int32_t out = a.subgraphs[0].ops[static_cast<size_t>(op)].outputs[0];
  double sum = 0;
  *positions = 0;
  for (const auto& s : samples) {
    RETURN_IF_ERROR(ia->SetInput(0, s.data(), s.size()));
    RETURN_IF_ERROR(ib->SetInput(0, s.data(), s.size()));
    RETURN_IF_ERROR(ia->Invoke());
    RETURN_IF_ERROR(ib->Invoke());
    const runtime::TensorRef& ya = ia->tensor(out);
    const runtime::TensorRef& yb = ib->tensor(out);
    for (int64_t i = 0; i < ya.NumElements(); ++i) {
      const double d = static_cast<double>(ya.Data<float>()[i]) - yb.Data<float>()[i];
      sum += d * d;
    }
    *positions += ya.NumElements() / ya.shape.dim(ya.shape.rank() - 1);
  }
  return sum;
}

TEST(LayerGramTest, PredictsTheOutputChangeOfRealLayers) {
  auto loaded = Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ir::Model model = loaded->ir();
  int folded = 0;
  ASSERT_TRUE(FoldFloatWeights(model, &folded).ok());
  auto runner = Runner::Create(*loaded);
  ASSERT_TRUE(runner.ok());
  std::vector<std::vector<uint8_t>> samples;
  for (const char* name : {"face.jpg", "multi_objects.jpg"}) {
    PreprocessOptions pre;
    pre.preset = PreprocessPreset::kSigned;
    auto t = LoadInput(testing::DataPath(std::string("images/") + name), runner->InputInfo(0), pre);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    samples.push_back(t->bytes);
  }
  // The first layer of each kind: (kind, kernel size, stride).
  ir::Subgraph& sg = model.subgraphs[0];
  std::vector<ConvLayer> layers;
  auto want = [&](const ConvLayer& l, int taps, int stride) {
    for (const ConvLayer& c : layers) {
      const ir::Operator& o = sg.ops[static_cast<size_t>(c.op)];
      if (c.kind == l.kind && c.taps == taps && Stride(o) == stride) return false;
    }
    return l.taps == taps && Stride(sg.ops[static_cast<size_t>(l.op)]) == stride;
  };
  for (int i = 0; i < static_cast<int>(sg.ops.size()); ++i) {
    auto l = AsConvLayer(sg, i);
    if (!l) continue;
    if ((!l->depthwise() && (want(*l, 25, 2) || want(*l, 1, 1))) ||
        (l->depthwise() && (want(*l, 9, 1) || want(*l, 9, 2) || want(*l, 25, 1) || want(*l, 25, 2)))) {
      layers.push_back(*l);
      SetFusedActivation(sg.ops[static_cast<size_t>(i)], ir::Activation::kNone);
    }
  }
  ASSERT_GE(layers.size(), 3u);
  SampleLoader load = [&](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    return std::vector<std::vector<uint8_t>>{samples[static_cast<size_t>(i)]};
  };
  auto grams = CollectLayerGrams(model, layers, 2, load, 2);
  ASSERT_TRUE(grams.ok()) << grams.status().ToString();
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 0.01f);
  for (size_t j = 0; j < layers.size(); ++j) {
    const ConvLayer& l = layers[j];
    const LayerGram& g = (*grams)[j];
    ir::Model changed = model;
    ir::Tensor& w = changed.subgraphs[0].tensors[static_cast<size_t>(l.weights)];
    std::vector<float> v = ReadFloats(w), dw(v.size());
    for (size_t e = 0; e < v.size(); ++e) v[e] += dw[e] = normal(rng);
    WriteFloats(w, v);
    // Predicted: sum over output channels of dW_row H dW_row^T.
    double predicted = 0;
    for (int64_t oc = 0; oc < l.out_channels; ++oc) {
      const int64_t group = l.depthwise() ? oc / l.multiplier : 0;
      std::vector<double> row(static_cast<size_t>(g.k));
      for (int64_t t = 0; t < g.k; ++t) {
        row[static_cast<size_t>(t)] = l.depthwise() ? dw[static_cast<size_t>(t * l.out_channels + oc)]
                                                    : dw[static_cast<size_t>(oc * g.k + t)];
      }
      const double* h = g.Group(group);
      for (int64_t a = 0; a < g.k; ++a) {
        for (int64_t b = 0; b < g.k; ++b) predicted += row[a] * h[a * g.k + b] * row[b];
      }
    }
    int64_t positions = 0;
    auto measured = OutputChange(model, changed, l.op, samples, &positions);
    ASSERT_TRUE(measured.ok()) << measured.status().ToString();
    const double actual = *measured / static_cast<double>(positions);
    std::printf("[gram] op %d (%s, %lld taps, stride %d): predicted %.6g, measured %.6g\n", l.op,
                l.depthwise() ? "depthwise" : "conv", static_cast<long long>(l.taps),
                Stride(sg.ops[static_cast<size_t>(l.op)]), predicted, actual);
    EXPECT_NEAR(predicted, actual, 1e-3 * actual) << "op " << l.op;
  }
}

}  // namespace
}  // namespace detlite::quant
