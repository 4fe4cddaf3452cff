#include "cli_common.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace detlite::cli {

const CLI::Validator kNonEmpty(
    [](std::string& text) { return text.empty() ? std::string("the value is empty") : std::string(); },
    "NONEMPTY");

CLI::Validator NumberIn(double lo, double hi) {
  char desc[64];
  std::snprintf(desc, sizeof(desc), "NUMBER in [%g, %g]", lo, hi);
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v) || v < lo || v > hi) {
          char msg[96];
          std::snprintf(msg, sizeof(msg), "must be a number in [%g, %g]", lo, hi);
          return "'" + text + "' " + msg;
        }
        return std::string();
      },
      desc);
}

void AddPreprocessFlags(CLI::App* cmd, PreprocessOptions* pre) {
  AddSettingOption(cmd, "--preset", &pre->preset,
                   "normalization: auto (uint8 input: raw pixels; float: [-1,1]), raw, unit "
                   "([0,1]), signed ([-1,1]), imagenet");
  cmd->add_option("--mean", pre->mean, "per-channel mean (overrides --preset)")
      ->expected(1, 3)
      ->check(NumberIn(-1e6, 1e6));
  cmd->add_option("--std", pre->stddev, "per-channel std (with --mean)")
      ->expected(1, 3)
      ->check(NumberIn(1e-9, 1e6));
  cmd->add_flag("--bgr", pre->bgr, "feed channels as BGR");
  AddSettingOption(cmd, "--resize", &pre->resize, "antialias (PIL-like, default) or bilinear");
}

Status EnsureDirectory(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(dir + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

Progress::Progress(std::string what, int64_t total)
    : what_(std::move(what)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_(start_),
      tty_(isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, const std::string& note) {
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0) return;
  double since = std::chrono::duration<double>(now - last_).count();
  if (shown_ && since < (tty_ ? 0.1 : 5.0) && done < total_) return;
  last_ = now;
  shown_ = true;
  double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 0.0;
  double eta = done > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
  if (tty_) {
    constexpr int kWidth = 28;
    int fill = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<size_t>(fill), '#');
    bar.append(static_cast<size_t>(kWidth - fill), '.');
    std::fprintf(stderr, "\r%s [%s] %lld/%lld %.0fs, ~%.0fs left %s\033[K", what_.c_str(),
                 bar.c_str(), static_cast<long long>(done), static_cast<long long>(total_),
                 elapsed, eta, note.c_str());
  } else {
    std::fprintf(stderr, "%s: %lld/%lld (%.0fs, ~%.0fs left) %s\n", what_.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_), elapsed, eta,
                 note.c_str());
  }
  std::fflush(stderr);
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (shown_ && tty_) std::fprintf(stderr, "\n");
}

}  // namespace detlite::cli
