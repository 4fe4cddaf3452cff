#include "quant/layer_gram.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <variant>

#include "quant/layer_gram_accumulate.h"
#include "runtime/interpreter.h"

namespace detlite::quant {
namespace {

struct Padding2D {
  ir::Padding padding = ir::Padding::kValid;
  int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
};

Padding2D WindowOf(const ir::Operator& op) {
  Padding2D p;
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) {
    p = {o->padding, o->stride_h, o->stride_w, o->dilation_h, o->dilation_w};
  } else if (const auto* d = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) {
    p = {d->padding, d->stride_h, d->stride_w, d->dilation_h, d->dilation_w};
  }
  return p;
}

// The patch geometry of layer l at the shapes the interpreter prepared.
StatusOr<PatchGeometry> GeometryOf(const ir::Subgraph& sg, const ConvLayer& l,
                                   const runtime::TensorRef& in, const runtime::TensorRef& out) {
  const ir::Operator& op = sg.ops[static_cast<size_t>(l.op)];
  PatchGeometry g;
  if (l.kind == ir::OpKind::kFullyConnected) {
    if (in.NumElements() % l.in_channels != 0) {
      return Internal("input of '" + in.name() + "' does not split into rows of " +
                      std::to_string(l.in_channels));
    }
    g.channels = l.in_channels;
    g.batch = in.NumElements() / l.in_channels;
    return g;
  }
  if (in.shape.rank() != 4 || out.shape.rank() != 4) {
    return Internal("layer input '" + in.name() + "' is not NHWC");
  }
  const ir::Tensor& w = sg.tensors[static_cast<size_t>(l.weights)];
  const Padding2D p = WindowOf(op);
  g.batch = in.shape.dim(0);
  g.in_h = in.shape.dim(1);
  g.in_w = in.shape.dim(2);
  g.channels = in.shape.dim(3);
  g.out_h = out.shape.dim(1);
  g.out_w = out.shape.dim(2);
  g.kernel_h = w.shape.dim(1);
  g.kernel_w = w.shape.dim(2);
  g.stride_h = p.stride_h;
  g.stride_w = p.stride_w;
  g.dilation_h = p.dilation_h;
  g.dilation_w = p.dilation_w;
  if (p.padding == ir::Padding::kSame) {
    g.pad_top = SamePaddingBefore(g.in_h, g.out_h, g.kernel_h, g.stride_h, g.dilation_h);
    g.pad_left = SamePaddingBefore(g.in_w, g.out_w, g.kernel_w, g.stride_w, g.dilation_w);
  }
  if (g.channels != l.in_channels) {
    return Internal("layer input '" + in.name() + "' has the wrong depth");
  }
  return g;
}

Status CheckFinite(const runtime::TensorRef& t) {
  const float* v = t.Data<float>();
  for (int64_t i = 0; i < t.NumElements(); ++i) {
    if (!std::isfinite(v[i])) {
      return InvalidArgument("tensor '" + t.name() + "' holds a non-finite value on the calibration data");
    }
  }
  return Status::Ok();
}

std::vector<LayerGram> EmptyGrams(const std::vector<ConvLayer>& layers) {
  std::vector<LayerGram> grams;
  for (const ConvLayer& l : layers) {
    LayerGram g;
    g.op = l.op;
    g.groups = l.depthwise() ? l.in_channels : 1;
    g.k = l.depthwise() ? l.taps : l.taps * l.in_channels;
    g.h.assign(static_cast<size_t>(g.groups * g.k * g.k), 0.0);
    grams.push_back(std::move(g));
  }
  return grams;
}

}  // namespace

void LayerGram::Normalize() {
  if (count <= 0) return;
  for (double& v : h) v /= static_cast<double>(count);
  count = 1;
}

StatusOr<std::vector<LayerGram>> CollectLayerGrams(const ir::Model& model,
                                                   const std::vector<ConvLayer>& layers,
                                                   int num_samples, const SampleLoader& load,
                                                   int threads) {
  if (num_samples <= 0) return InvalidArgument("no calibration samples");
  const ir::Subgraph& sg = model.subgraphs.at(0);
  const int n_threads = std::clamp(threads, 1, std::min(num_samples, 16));
  std::vector<std::vector<LayerGram>> parts(static_cast<size_t>(n_threads), EmptyGrams(layers));
  std::vector<Status> status(static_cast<size_t>(n_threads));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](std::vector<LayerGram>& grams) -> Status {
    runtime::InterpreterOptions io;
    io.preserve_all_tensors = true;
    ASSIGN_OR_RETURN(auto interp, runtime::Interpreter::Create(model, io));
    for (int i = next++; i < num_samples && !failed; i = next++) {
      ASSIGN_OR_RETURN(auto inputs, load(i));
      if (static_cast<int>(inputs.size()) != interp->num_inputs()) {
        return InvalidArgument("calibration sample " + std::to_string(i) + " has " +
                               std::to_string(inputs.size()) + " inputs");
      }
      for (int x = 0; x < interp->num_inputs(); ++x) {
        RETURN_IF_ERROR(interp->SetInput(x, inputs[static_cast<size_t>(x)].data(),
                                         inputs[static_cast<size_t>(x)].size()));
      }
      RETURN_IF_ERROR(interp->Invoke());
      for (size_t j = 0; j < layers.size(); ++j) {
        const ir::Operator& op = sg.ops[static_cast<size_t>(layers[j].op)];
        const runtime::TensorRef& in = interp->tensor(op.inputs[0]);
        const runtime::TensorRef& out = interp->tensor(op.outputs[0]);
        if (in.dtype != DType::kFloat32 || in.data == nullptr) {
          return Internal("layer input '" + in.name() + "' is not a float activation");
        }
        RETURN_IF_ERROR(CheckFinite(in));
        ASSIGN_OR_RETURN(PatchGeometry g, GeometryOf(sg, layers[j], in, out));
        if (layers[j].depthwise()) {
          AccumulateDepthwiseGram(in.Data<float>(), g, grams[j].h);
        } else {
          AccumulateConvGram(in.Data<float>(), g, grams[j].h);
        }
        grams[j].count += g.batch * g.out_h * g.out_w;
      }
    }
    return Status::Ok();
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < n_threads; ++k) {
    pool.emplace_back([&, k] {
      status[static_cast<size_t>(k)] = work(parts[static_cast<size_t>(k)]);
      if (!status[static_cast<size_t>(k)].ok()) failed = true;
    });
  }
  for (auto& th : pool) th.join();
  for (const Status& s : status) RETURN_IF_ERROR(s);
  for (size_t k = 1; k < parts.size(); ++k) {
    for (size_t j = 0; j < layers.size(); ++j) {
      for (size_t e = 0; e < parts[0][j].h.size(); ++e) parts[0][j].h[e] += parts[k][j].h[e];
      parts[0][j].count += parts[k][j].count;
    }
  }
  for (LayerGram& g : parts[0]) g.Normalize();
  return std::move(parts[0]);
}

}  // namespace detlite::quant
