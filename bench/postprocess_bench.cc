// Latency of TFLite_Detection_PostProcess alone, on real head outputs: the
// whole detector runs once per photo in detlite's interpreter (every tensor
// kept), the op's inputs are captured, and a model holding only that op is
// then timed (Invoke only; rounds interleave the photos; median per photo).
// With --regular the op's use_regular_nms is switched on. Prints one line a
// photo with the detection count and a hash of the four outputs, so runs with
// and without DETLITE_REFERENCE_KERNELS=1 can be checked for equal outputs.
// Built and run by bench/postprocess_bench.sh; not part of the build.
//   postprocess_bench MODEL.tflite RUNS [--regular] PHOTO...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "importers/tflite/tflite_reader.h"
#include "ir/detection_options.h"
#include "runtime/interpreter.h"

using namespace detlite;  // a bench's main, not library code

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "postprocess_bench: %s\n", what.c_str());
  return 1;
}

uint64_t Fnv(const uint8_t* p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Fail("usage: postprocess_bench MODEL.tflite RUNS [--regular] PHOTO...");
  const std::string model_path = argv[1];
  const int runs = std::max(1, std::atoi(argv[2]));
  int first_photo = 3;
  const bool regular = std::string(argv[3]) == "--regular";
  if (regular) ++first_photo;
  auto model = ReadTfliteFile(model_path);
  if (!model.ok()) return Fail(model.status().ToString());
  ir::Subgraph& sg = model->subgraphs[0];
  int pp = -1;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (sg.ops[i].custom_code == "TFLite_Detection_PostProcess") pp = static_cast<int>(i);
  }
  if (pp < 0) return Fail("no TFLite_Detection_PostProcess in " + model_path);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(PreprocessPreset::kSigned);
  if (!pre.ok()) return Fail(pre.status().ToString());

  // The op's non-constant inputs for every photo, from the whole model.
  ir::Operator op = sg.ops[static_cast<size_t>(pp)];
  std::vector<int32_t> live;
  for (int32_t t : op.inputs) {
    if (!sg.tensors[static_cast<size_t>(t)].is_constant()) live.push_back(t);
  }
  std::vector<std::string> photos;
  std::vector<std::vector<std::vector<uint8_t>>> captured;
  {
    runtime::InterpreterOptions keep;
    keep.preserve_all_tensors = true;
    auto whole = runtime::Interpreter::Create(*model, keep);
    if (!whole.ok()) return Fail(whole.status().ToString());
    for (int a = first_photo; a < argc; ++a) {
      auto image = DecodeImageFile(argv[a]);
      if (!image.ok()) return Fail(image.status().ToString());
      auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
      if (!bytes.ok()) return Fail(bytes.status().ToString());
      if (!(*whole)->SetInput(0, bytes->data(), bytes->size()).ok()) return Fail("set input");
      const Status run = (*whole)->Invoke();
      if (!run.ok()) return Fail(run.ToString());
      std::vector<std::vector<uint8_t>> inputs;
      for (int32_t t : live) {
        const runtime::TensorRef& r = (*whole)->tensor(t);
        inputs.emplace_back(r.data, r.data + r.bytes);
      }
      const char* slash = std::strrchr(argv[a], '/');
      photos.push_back(slash != nullptr ? slash + 1 : argv[a]);
      captured.push_back(std::move(inputs));
    }
  }

  // The same model cut down to the one op.
  if (regular) {
    auto params = ir::ParseDetectionOptions(op.custom_options);
    if (!params.ok()) return Fail(params.status().ToString());
    params->use_regular_nms = true;
    op.custom_options = ir::WriteDetectionOptions(*params);
  }
  sg.inputs = live;
  sg.outputs = op.outputs;
  sg.ops = {op};
  model->signatures.clear();
  auto alone = runtime::Interpreter::Create(*model);
  if (!alone.ok()) return Fail(alone.status().ToString());
  runtime::Interpreter& interp = **alone;
  std::vector<std::vector<double>> us(photos.size());
  std::vector<uint64_t> hash(photos.size());
  std::vector<float> count(photos.size());
  for (int r = -2; r < runs; ++r) {  // two warm-up rounds
    for (size_t p = 0; p < photos.size(); ++p) {
      for (size_t i = 0; i < live.size(); ++i) {
        const auto& b = captured[p][i];
        if (!interp.SetInput(static_cast<int>(i), b.data(), b.size()).ok()) return Fail("set");
      }
      const auto start = std::chrono::steady_clock::now();
      const Status run = interp.Invoke();
      const auto stop = std::chrono::steady_clock::now();
      if (!run.ok()) return Fail(run.ToString());
      if (r < 0) continue;
      us[p].push_back(std::chrono::duration<double, std::micro>(stop - start).count());
      uint64_t h = 14695981039346656037ull;
      for (int o = 0; o < 4; ++o) h = Fnv(interp.output(o).data, interp.output(o).bytes, h);
      hash[p] = h;
      std::memcpy(&count[p], interp.output(3).data, sizeof(float));
    }
  }
  const char* mode = std::getenv("DETLITE_REFERENCE_KERNELS");
  double sum = 0;
  for (size_t p = 0; p < photos.size(); ++p) {
    std::sort(us[p].begin(), us[p].end());
    const double median = us[p][us[p].size() / 2];
    sum += median;
    std::printf("%s %s %s: %g detections, median %.1f us, outputs %016llx\n",
                mode != nullptr && std::string(mode) != "0" ? "reference" : "optimized",
                regular ? "regular" : "fast", photos[p].c_str(), count[p], median,
                static_cast<unsigned long long>(hash[p]));
  }
  std::printf("mean of medians: %.1f us over %zu photos, %d runs each\n",
              sum / static_cast<double>(photos.size()), photos.size(), runs);
  return 0;
}
