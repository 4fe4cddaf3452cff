#include "prune/channel_reconstruct.h"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "ir/compact.h"
#include "prune/channel_reconstruct_fit.h"
#include "prune/channel_slice.h"
#include "prune/layers.h"
#include "runtime/interpreter.h"

namespace detlite::prune {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr int64_t kChunkRows = 256;

// One consumer convolution to refit.
struct Job {
  int op = 0;
  quant::PatchGeometry geometry;  // of the original input (channels = C)
  std::vector<int> keep;          // kept input channels (of C)
  RowMatrixF w;                   // original weights of the kept outputs, O' x taps*C
  Eigen::RowVectorXf b;           // their original bias
  std::vector<float> prior, prior_bias;  // the pruned model's weights (O' x taps*c') and bias
  int64_t taps() const { return geometry.taps(); }
  int64_t kept_k() const { return taps() * static_cast<int64_t>(keep.size()); }
};

std::vector<int> Kept(const ir::Subgraph& sg, const ChannelGraph& g, const std::vector<bool>& remove, int32_t t) {
  std::vector<int> keep;
  const int n = sg.tensors[static_cast<size_t>(t)].shape.dim(3);
  for (int c = 0; c < n; ++c) {
    if (g.offset[static_cast<size_t>(t)] < 0 || !remove[static_cast<size_t>(g.ClassOf(t, c))]) keep.push_back(c);
  }
  return keep;
}

std::vector<float> Values(const ir::Subgraph& sg, const std::vector<int32_t>& producer, const ir::Operator& op,
                          size_t slot, size_t n) {
  const int32_t x = op.inputs.size() > slot ? op.inputs[slot] : -1;
  const int32_t c = x < 0 ? -1 : ConstantBehind(sg, producer, x);
  std::vector<float> v = c < 0 ? std::vector<float>{} : WeightValues(sg.tensors[static_cast<size_t>(c)]);
  if (v.size() != n) v.assign(n, 0.0f);
  return v;
}

// The input patch geometry of CONV_2D `op` (weights of `w_shape`) at the
// model's declared shapes.
quant::PatchGeometry GeometryOf(const ir::Subgraph& sg, const ir::Operator& op, const Shape& w_shape) {
  const auto& opts = std::get<ir::Conv2DOptions>(op.options);
  const Shape& it = sg.tensors[static_cast<size_t>(op.inputs[0])].shape;
  const Shape& ot = sg.tensors[static_cast<size_t>(op.outputs[0])].shape;
  quant::PatchGeometry ge;
  ge.batch = it.dim(0), ge.in_h = it.dim(1), ge.in_w = it.dim(2), ge.channels = w_shape.dim(3);
  ge.out_h = ot.dim(1), ge.out_w = ot.dim(2);
  ge.kernel_h = w_shape.dim(1), ge.kernel_w = w_shape.dim(2);
  ge.stride_h = opts.stride_h, ge.stride_w = opts.stride_w;
  ge.dilation_h = opts.dilation_h, ge.dilation_w = opts.dilation_w;
  if (opts.padding == ir::Padding::kSame) {
    ge.pad_top = quant::SamePaddingBefore(ge.in_h, ge.out_h, ge.kernel_h, ge.stride_h, ge.dilation_h);
    ge.pad_left = quant::SamePaddingBefore(ge.in_w, ge.out_w, ge.kernel_w, ge.stride_w, ge.dilation_w);
  }
  return ge;
}

// Whether op j is a CONV_2D of constant weights reading a 4-D activation
// with channel nodes (so one whose inputs pruning can change).
bool IsConsumer(const ir::Subgraph& sg, const ChannelGraph& g, const std::vector<int32_t>& producer, int j) {
  const ir::Operator& op = sg.ops[static_cast<size_t>(j)];
  if (op.kind != ir::OpKind::kConv2D || !std::holds_alternative<ir::Conv2DOptions>(op.options) ||
      op.inputs.size() < 2 || op.outputs.size() != 1) {
    return false;
  }
  const int32_t in = op.inputs[0], wi = ConstantBehind(sg, producer, op.inputs[1]);
  if (in < 0 || wi < 0 || g.offset[static_cast<size_t>(in)] < 0) return false;
  const Shape& w = sg.tensors[static_cast<size_t>(wi)].shape;
  return w.rank() == 4 && sg.tensors[static_cast<size_t>(in)].shape.rank() == 4 &&
         sg.tensors[static_cast<size_t>(op.outputs[0])].shape.rank() == 4 &&
         sg.tensors[static_cast<size_t>(in)].shape.dim(3) == w.dim(3);
}

// The job for op j when it is a CONV_2D that lost input channels.
std::optional<Job> MakeJob(const ir::Subgraph& orig, const ir::Subgraph& pruned, const ChannelGraph& g,
                           const std::vector<bool>& remove, const std::vector<int32_t>& producer_o,
                           const std::vector<int32_t>& producer_p, int j) {
  const ir::Operator& op = orig.ops[static_cast<size_t>(j)];
  const ir::Operator& pop = pruned.ops[static_cast<size_t>(j)];
  if (!IsConsumer(orig, g, producer_o, j)) return std::nullopt;
  const int32_t in = op.inputs[0], out = op.outputs[0];
  const int32_t wi = ConstantBehind(orig, producer_o, op.inputs[1]);
  const int32_t pwi = ConstantBehind(pruned, producer_p, pop.inputs[1]);
  if (pwi < 0) return std::nullopt;
  const ir::Tensor& it = orig.tensors[static_cast<size_t>(in)];
  Job job;
  job.op = j;
  job.keep = Kept(orig, g, remove, in);
  if (job.keep.size() == static_cast<size_t>(it.shape.dim(3))) return std::nullopt;
  const std::vector<int> ko = Kept(orig, g, remove, out);
  const ir::Tensor& w = orig.tensors[static_cast<size_t>(wi)];
  const int64_t o_n = w.shape.dim(0), taps = int64_t{w.shape.dim(1)} * w.shape.dim(2), c = w.shape.dim(3);
  const std::vector<float> wv = WeightValues(w);
  const std::vector<float> bv = Values(orig, producer_o, op, 2, static_cast<size_t>(o_n));
  job.w.resize(static_cast<int64_t>(ko.size()), taps * c);
  job.b.resize(static_cast<int64_t>(ko.size()));
  for (size_t r = 0; r < ko.size(); ++r) {
    for (int64_t e = 0; e < taps * c; ++e) job.w(static_cast<int64_t>(r), e) = wv[static_cast<size_t>(ko[r] * taps * c + e)];
    job.b(static_cast<int64_t>(r)) = bv[static_cast<size_t>(ko[r])];
  }
  job.prior = WeightValues(pruned.tensors[static_cast<size_t>(pwi)]);
  job.prior_bias = Values(pruned, producer_p, pop, 2, ko.size());
  if (job.prior.size() != ko.size() * static_cast<size_t>(taps) * job.keep.size()) return std::nullopt;
  job.geometry = GeometryOf(orig, op, w.shape);
  return job;
}

// Dependency level of each job: how many refitted layers lie upstream of
// its input in the pruned graph (jobs of one level are fitted together).
std::vector<int> Levels(const ir::Subgraph& sg, const std::vector<Job>& jobs) {
  std::vector<int> depth(sg.tensors.size(), 0), level(jobs.size(), 0);
  std::vector<int> job_of(sg.ops.size(), -1);
  for (size_t i = 0; i < jobs.size(); ++i) job_of[static_cast<size_t>(jobs[i].op)] = static_cast<int>(i);
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const ir::Operator& op = sg.ops[k];
    int m = 0;
    for (int32_t x : op.inputs) m = x >= 0 ? std::max(m, depth[static_cast<size_t>(x)]) : m;
    if (job_of[k] >= 0) level[static_cast<size_t>(job_of[k])] = m++;
    for (int32_t x : op.outputs) depth[static_cast<size_t>(x)] = m;
  }
  return level;
}

// Makes `values` the constant behind input `slot` of op j (float16 kept
// float16 behind its DEQUANTIZE when nothing else reads that DEQUANTIZE).
void Install(ir::Subgraph& sg, int j, size_t slot, const Shape& shape, const std::vector<float>& values,
             const std::string& name) {
  ir::Operator& op = sg.ops[static_cast<size_t>(j)];
  if (op.inputs.size() <= slot) op.inputs.resize(slot + 1, -1);
  const int32_t x = op.inputs[slot];
  ir::Tensor t = FloatConstant(name, shape, values);
  if (x >= 0 && !sg.tensors[static_cast<size_t>(x)].is_constant()) {
    const std::vector<int32_t> producer = Producers(sg);
    int uses = 0;
    for (const ir::Operator& o : sg.ops) uses += static_cast<int>(std::count(o.inputs.begin(), o.inputs.end(), x));
    const int32_t p = producer[static_cast<size_t>(x)];
    if (p >= 0 && uses == 1 && sg.ops[static_cast<size_t>(p)].kind == ir::OpKind::kDequantize) {
      ir::Operator& dq = sg.ops[static_cast<size_t>(p)];
      const ir::Tensor& old = sg.tensors[static_cast<size_t>(dq.inputs[0])];
      if (old.dtype == DType::kFloat16) t = ToHalf(t);
      t.name = old.name;
      dq.inputs[0] = sg.AddTensor(std::move(t));
      sg.tensors[static_cast<size_t>(x)].shape = shape;
      sg.tensors[static_cast<size_t>(x)].shape_signature.clear();
      return;
    }
  } else if (x >= 0) {
    t.name = sg.tensors[static_cast<size_t>(x)].name;
    if (sg.tensors[static_cast<size_t>(x)].dtype == DType::kFloat16) t = ToHalf(t);
  }
  op.inputs[slot] = sg.AddTensor(std::move(t));
}

}  // namespace

namespace {

// Adds one sample's patches of job's layer to `fit`: targets from the
// unpruned model's input `xo`, fitted inputs from the pruned model's `xp`
// (sequential) or xo's kept columns (one-shot, xp null).
Status Accumulate(const Job& job, const runtime::TensorRef& xo, const runtime::TensorRef* xp,
                  LeastSquaresFit& fit) {
  const quant::PatchGeometry& g = job.geometry;
  const auto kc = static_cast<int64_t>(job.keep.size());
  if (xo.shape.rank() != 4 || xo.shape.dim(0) != g.batch || xo.shape.dim(1) != g.in_h ||
      xo.shape.dim(2) != g.in_w || xo.shape.dim(3) != g.channels ||
      (xp != nullptr && (xp->shape.rank() != 4 || xp->shape.dim(1) != g.in_h || xp->shape.dim(2) != g.in_w ||
                         xp->shape.dim(3) != kc))) {
    return Internal("reconstruction: unexpected input shape at '" + xo.name() + "'");
  }
  quant::PatchGeometry gp = g;
  gp.channels = kc;
  const int64_t positions = g.batch * g.out_h * g.out_w, taps = g.taps(), full = taps * g.channels;
  const int64_t rows_max = std::min(kChunkRows, positions);
  RowMatrixF xo_rows(rows_max, full), y(rows_max, job.w.rows()), xp_rows(rows_max, taps * kc);
  for (int64_t first = 0; first < positions; first += rows_max) {
    const int64_t rows = std::min(rows_max, positions - first);
    FillPatchRows(xo.Data<float>(), g, first, rows, xo_rows.data());
    y.topRows(rows).noalias() = xo_rows.topRows(rows) * job.w.transpose();
    y.topRows(rows).rowwise() += job.b;
    if (xp != nullptr) {
      FillPatchRows(xp->Data<float>(), gp, first, rows, xp_rows.data());
    } else {
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t t = 0; t < taps; ++t) {
          for (int64_t k = 0; k < kc; ++k) xp_rows(r, t * kc + k) = xo_rows(r, t * g.channels + job.keep[static_cast<size_t>(k)]);
        }
      }
    }
    fit.Add(y.data(), xp_rows.data(), rows);
  }
  return Status::Ok();
}

Status SetInputs(runtime::Interpreter& interp, const std::vector<std::vector<uint8_t>>& inputs) {
  if (static_cast<int>(inputs.size()) != interp.num_inputs()) return InvalidArgument("calibration sample has the wrong number of inputs");
  for (int x = 0; x < interp.num_inputs(); ++x) {
    RETURN_IF_ERROR(interp.SetInput(x, inputs[static_cast<size_t>(x)].data(), inputs[static_cast<size_t>(x)].size()));
  }
  return interp.Invoke();
}

using Samples = std::vector<std::vector<std::vector<uint8_t>>>;
using SampleFn = std::function<Status(int worker, const runtime::Interpreter& orig, const runtime::Interpreter* pruned)>;

// Runs `original` (and `pruned` if given) on every sample with `workers`
// threads, one interpreter per model each (all tensors kept), and calls
// `fn` after each sample with the thread's index.
Status ForEachSample(const ir::Model& original, const ir::Model* pruned, const Samples& samples, int workers,
                     const SampleFn& fn) {
  const int n = static_cast<int>(samples.size());
  std::vector<Status> status(static_cast<size_t>(workers));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](int worker) -> Status {
    runtime::InterpreterOptions io;
    io.preserve_all_tensors = true;
    ASSIGN_OR_RETURN(auto orig, runtime::Interpreter::Create(original, io));
    std::unique_ptr<runtime::Interpreter> pr;
    if (pruned != nullptr) {
      ASSIGN_OR_RETURN(pr, runtime::Interpreter::Create(*pruned, io));
    }
    for (int i = next++; i < n && !failed; i = next++) {
      RETURN_IF_ERROR(SetInputs(*orig, samples[static_cast<size_t>(i)]));
      if (pr) RETURN_IF_ERROR(SetInputs(*pr, samples[static_cast<size_t>(i)]));
      RETURN_IF_ERROR(fn(worker, *orig, pr.get()));
    }
    return Status::Ok();
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < workers; ++k) {
    pool.emplace_back([&, k] {
      status[static_cast<size_t>(k)] = work(k);
      if (!status[static_cast<size_t>(k)].ok()) failed = true;
    });
  }
  for (auto& th : pool) th.join();
  for (const Status& s : status) RETURN_IF_ERROR(s);
  return Status::Ok();
}

int Workers(int threads, size_t samples) {
  return std::clamp(threads, 1, std::max(1, std::min(static_cast<int>(samples), 16)));
}

// One sequential pass: the fits of `jobs` on the pruned model's inputs.
StatusOr<std::vector<LeastSquaresFit>> RunPass(const std::vector<const Job*>& jobs, const ir::Model& original,
                                              const ir::Model& pruned, const Samples& samples, int threads) {
  const int workers = Workers(threads, samples.size());
  std::vector<std::vector<LeastSquaresFit>> parts(static_cast<size_t>(workers));
  for (auto& p : parts) {
    for (const Job* j : jobs) p.emplace_back(j->w.rows(), j->kept_k());
  }
  RETURN_IF_ERROR(ForEachSample(original, &pruned, samples, workers,
                                [&](int worker, const runtime::Interpreter& orig, const runtime::Interpreter* pr) -> Status {
    for (size_t j = 0; j < jobs.size(); ++j) {
      const auto& op = original.subgraphs[0].ops[static_cast<size_t>(jobs[j]->op)];
      const auto& pop = pruned.subgraphs[0].ops[static_cast<size_t>(jobs[j]->op)];
      RETURN_IF_ERROR(Accumulate(*jobs[j], orig.tensor(op.inputs[0]), &pr->tensor(pop.inputs[0]),
                                 parts[static_cast<size_t>(worker)][j]));
    }
    return Status::Ok();
  }));
  for (size_t k = 1; k < parts.size(); ++k) {
    for (size_t j = 0; j < jobs.size(); ++j) parts[0][j].Merge(parts[k][j]);
  }
  return std::move(parts[0]);
}

// Solves `fit` for `job` and installs the result in `pruned`.
ReconstructedLayer SolveAndInstall(const Job& job, const LeastSquaresFit& fit, double ridge, ir::Subgraph& sg) {
  ReconstructedLayer r;
  r.op = job.op;
  r.output = sg.tensors[static_cast<size_t>(sg.ops[static_cast<size_t>(job.op)].outputs[0])].name;
  r.positions = fit.count();
  r.signal = fit.Signal();
  r.mse_before = r.mse_after = fit.Mse(job.prior, job.prior_bias);
  std::vector<float> w, b;
  r.solved = fit.Solve(job.prior, job.prior_bias, ridge, &w, &b);
  if (!r.solved) return r;
  r.mse_after = fit.Mse(w, b);
  const ir::Operator& op = sg.ops[static_cast<size_t>(job.op)];
  const int32_t wi = ConstantBehind(sg, Producers(sg), op.inputs[1]);
  const Shape ws{static_cast<int32_t>(job.w.rows()), static_cast<int32_t>(job.geometry.kernel_h),
                 static_cast<int32_t>(job.geometry.kernel_w), static_cast<int32_t>(job.keep.size())};
  Install(sg, job.op, 1, ws, w, sg.tensors[static_cast<size_t>(wi)].name);
  Install(sg, job.op, 2, Shape{static_cast<int32_t>(b.size())}, b, r.output + "/bias");
  return r;
}

std::vector<Job> Jobs(const ir::Model& original, const ChannelGraph& graph, const std::vector<bool>& remove,
                      const ir::Model& pruned) {
  const ir::Subgraph& o = original.subgraphs[0];
  const std::vector<int32_t> producer_o = Producers(o), producer_p = Producers(pruned.subgraphs[0]);
  std::vector<Job> jobs;
  for (int j = 0; j < static_cast<int>(o.ops.size()); ++j) {
    std::optional<Job> job = MakeJob(o, pruned.subgraphs[0], graph, remove, producer_o, producer_p, j);
    if (job) jobs.push_back(std::move(*job));
  }
  return jobs;
}

StatusOr<Samples> LoadSamples(int num_samples, const quant::SampleLoader& load) {
  if (num_samples <= 0) return InvalidArgument("reconstruction needs calibration samples");
  Samples samples;
  for (int i = 0; i < num_samples; ++i) {
    ASSIGN_OR_RETURN(auto s, load(i));
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace

StatusOr<ConsumerGrams> CollectConsumerGrams(const ir::Model& original, const ChannelGraph& graph,
                                             int num_samples, const quant::SampleLoader& load, int threads) {
  ASSIGN_OR_RETURN(Samples samples, LoadSamples(num_samples, load));
  const ir::Subgraph& o = original.subgraphs.at(0);
  const std::vector<int32_t> producer = Producers(o);
  std::vector<int> ops;
  std::vector<quant::PatchGeometry> geometry;
  for (int j = 0; j < static_cast<int>(o.ops.size()); ++j) {
    if (!IsConsumer(o, graph, producer, j)) continue;
    const ir::Operator& op = o.ops[static_cast<size_t>(j)];
    ops.push_back(j);
    geometry.push_back(GeometryOf(o, op, o.tensors[static_cast<size_t>(ConstantBehind(o, producer, op.inputs[1]))].shape));
  }
  const int workers = Workers(threads, samples.size());
  std::vector<std::vector<PatchGram>> parts(static_cast<size_t>(workers));
  for (auto& p : parts) {
    for (const auto& g : geometry) p.emplace_back(g.taps() * g.channels);
  }
  RETURN_IF_ERROR(ForEachSample(original, nullptr, samples, workers,
                                [&](int worker, const runtime::Interpreter& orig, const runtime::Interpreter*) -> Status {
    for (size_t j = 0; j < ops.size(); ++j) {
      const quant::PatchGeometry& g = geometry[j];
      const auto& x = orig.tensor(o.ops[static_cast<size_t>(ops[j])].inputs[0]);
      if (x.shape.rank() != 4 || x.shape.dim(1) != g.in_h || x.shape.dim(2) != g.in_w || x.shape.dim(3) != g.channels) {
        return Internal("reconstruction: unexpected input shape at '" + x.name() + "'");
      }
      const int64_t positions = g.batch * g.out_h * g.out_w, k = g.taps() * g.channels;
      const int64_t rows_max = std::min(kChunkRows, positions);
      RowMatrixF rows(rows_max, k);
      for (int64_t first = 0; first < positions; first += rows_max) {
        const int64_t n = std::min(rows_max, positions - first);
        FillPatchRows(x.Data<float>(), g, first, n, rows.data());
        parts[static_cast<size_t>(worker)][j].Add(rows.data(), n);
      }
    }
    return Status::Ok();
  }));
  ConsumerGrams grams;
  for (size_t j = 0; j < ops.size(); ++j) {
    for (size_t k = 1; k < parts.size(); ++k) parts[0][j].Merge(parts[k][j]);
    grams.emplace(ops[j], std::move(parts[0][j]));
  }
  return grams;
}

Status ReconstructFromGrams(const ir::Model& original, const ChannelGraph& graph, const std::vector<bool>& remove,
                            ir::Model& pruned, const ConsumerGrams& grams, double ridge, ReconstructStats* stats) {
  if (pruned.subgraphs.empty() || pruned.subgraphs[0].ops.size() != original.subgraphs.at(0).ops.size()) {
    return Internal("reconstruction: the pruned model's ops do not match the original's");
  }
  for (const Job& job : Jobs(original, graph, remove, pruned)) {
    const auto it = grams.find(job.op);
    if (it == grams.end()) continue;
    std::vector<int64_t> cols;
    for (int64_t t = 0; t < job.taps(); ++t) {
      for (int c : job.keep) cols.push_back(t * job.geometry.channels + c);
    }
    const std::vector<float> w(job.w.data(), job.w.data() + job.w.size());
    const std::vector<float> b(job.b.data(), job.b.data() + job.b.size());
    const LeastSquaresFit fit = LeastSquaresFit::FromGram(it->second, w, b, job.w.rows(), cols);
    stats->layers.push_back(SolveAndInstall(job, fit, ridge, pruned.subgraphs[0]));
  }
  stats->passes = std::max(stats->passes, 1);
  ir::CompactTensors(pruned, 0);
  return Status::Ok();
}

Status ReconstructConsumers(const ir::Model& original, const ChannelGraph& graph,
                            const std::vector<bool>& remove, ir::Model& pruned, int num_samples,
                            const quant::SampleLoader& load, const ReconstructOptions& options,
                            ReconstructStats* stats) {
  if (pruned.subgraphs.empty() || pruned.subgraphs[0].ops.size() != original.subgraphs.at(0).ops.size()) {
    return Internal("reconstruction: the pruned model's ops do not match the original's");
  }
  stats->samples = num_samples;
  if (!options.sequential) {
    ASSIGN_OR_RETURN(ConsumerGrams grams, CollectConsumerGrams(original, graph, num_samples, load, options.threads));
    return ReconstructFromGrams(original, graph, remove, pruned, grams, options.ridge, stats);
  }
  const std::vector<Job> jobs = Jobs(original, graph, remove, pruned);
  if (jobs.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Samples samples, LoadSamples(num_samples, load));
  const std::vector<int> level = Levels(pruned.subgraphs[0], jobs);
  const int passes = *std::max_element(level.begin(), level.end()) + 1;
  for (int pass = 0; pass < passes; ++pass) {
    std::vector<const Job*> now;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (level[i] == pass) now.push_back(&jobs[i]);
    }
    if (now.empty()) continue;
    ASSIGN_OR_RETURN(std::vector<LeastSquaresFit> fits, RunPass(now, original, pruned, samples, options.threads));
    for (size_t i = 0; i < now.size(); ++i) {
      stats->layers.push_back(SolveAndInstall(*now[i], fits[i], options.ridge, pruned.subgraphs[0]));
    }
    ++stats->passes;
    if (options.progress) options.progress(pass + 1, passes);
  }
  ir::CompactTensors(pruned, 0);
  return Status::Ok();
}

}  // namespace detlite::prune
