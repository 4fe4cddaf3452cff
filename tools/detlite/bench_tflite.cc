// Timing the real TFLite runtime for `bench --vs-tflite`: the node script the
// tests use as their judge, given the same input bytes.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench_report.h"
#include "subprocess.h"

#ifndef DETLITE_TFLITE_RUNNER_DEFAULT
#define DETLITE_TFLITE_RUNNER_DEFAULT ""
#endif

namespace detlite::cli {

StatusOr<Stats> TimeInRealTflite(const std::string& model, const std::vector<HostTensor>& inputs,
                                 int warmup, int runs, const std::string& runner_script) {
  std::string script = runner_script;
  if (script.empty() && std::getenv("DETLITE_TFLITE_RUNNER")) script = std::getenv("DETLITE_TFLITE_RUNNER");
  if (script.empty()) script = DETLITE_TFLITE_RUNNER_DEFAULT;
  std::error_code ec;
  if (script.empty() || !std::filesystem::exists(script, ec)) {
    return NotFound("--vs-tflite: cannot find the TFLite runner script '" + script +
                    "' (give --tflite-runner or set DETLITE_TFLITE_RUNNER)");
  }
  char tmpl[] = "/tmp/detlite_bench_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return IoError("--vs-tflite: cannot make a temporary directory");
  const std::string dir = tmpl;
  std::vector<std::string> argv = {"node", script, "--model", model, "--out", dir + "/out",
                                   "--runs", std::to_string(runs), "--warmup", std::to_string(warmup)};
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string path = dir + "/in" + std::to_string(i) + ".bin";
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(inputs[i].bytes.data()),
            static_cast<std::streamsize>(inputs[i].bytes.size()));
    if (!f) return IoError(path + ": cannot write");
    argv.push_back(path);
  }
  auto child = RunChild(argv);
  std::filesystem::remove_all(dir, ec);
  if (!child.ok()) return child.status().WithContext("--vs-tflite (is node installed?)");
  if (child->exit_code != 0) {
    std::string err = child->err;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    return Internal("the real TFLite runtime failed on " + model + ": " + err);
  }
  try {
    auto j = nlohmann::json::parse(child->out.substr(child->out.rfind('{')));
    Stats s;
    s.runs = j.at("runs").get<int>();
    s.min_ms = j.at("min_ms").get<double>();
    s.median_ms = j.at("median_ms").get<double>();
    s.p90_ms = j.value("p90_ms", s.median_ms);
    double sum = 0;
    for (const auto& v : j.value("times_ms", nlohmann::json::array())) sum += v.get<double>();
    s.mean_ms = s.runs > 0 ? sum / s.runs : 0;
    return s;
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read the TFLite runner's timing: ") + e.what());
  }
}

}  // namespace detlite::cli
