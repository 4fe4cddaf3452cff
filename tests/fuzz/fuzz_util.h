// Helpers shared by the libFuzzer targets in this directory.
//
// Multi-file inputs: a target that reads several files (a SavedModel, a
// tensor bundle) takes them as one input, the files' bytes separated by
// kPartSeparator; make_seeds.py packs real files the same way.
#ifndef DETLITE_TESTS_FUZZ_FUZZ_UTIL_H_
#define DETLITE_TESTS_FUZZ_FUZZ_UTIL_H_

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "detlite/status.h"

namespace detlite::fuzz {

inline constexpr std::string_view kPartSeparator = "\n@@DLFZ@@\n";

// The input cut at each separator into exactly `n` parts (missing ones are
// empty, the last takes the rest).
inline std::vector<std::string> SplitParts(const uint8_t* data, size_t size, size_t n) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  while (parts.size() + 1 < n) {
    const size_t at = rest.find(kPartSeparator);
    if (at == std::string_view::npos) break;
    parts.emplace_back(rest.substr(0, at));
    rest.remove_prefix(at + kPartSeparator.size());
  }
  parts.emplace_back(rest);
  parts.resize(n);
  return parts;
}

// Every part of the input, however many there are.
inline std::vector<std::string> SplitAll(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (;;) {
    const size_t at = rest.find(kPartSeparator);
    parts.emplace_back(rest.substr(0, at));
    if (at == std::string_view::npos) return parts;
    rest.remove_prefix(at + kPartSeparator.size());
  }
}

// A directory of this process under $TMPDIR (or /tmp), made on first use.
inline const std::string& ScratchDir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/detlite_fuzz_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }();
  return dir;
}

inline void WriteScratchFile(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    std::abort();
  }
  std::fclose(f);
}

// Aborts (so libFuzzer keeps the input) when a rejection does not name the
// file it was given.
inline void CheckNamed(const Status& status, std::string_view name, const char* target) {
  if (status.ok() || status.message().find(name) != std::string::npos) return;
  std::fprintf(stderr, "%s: error without the file name %.*s: %s\n", target,
               static_cast<int>(name.size()), name.data(), status.ToString().c_str());
  std::abort();
}

// Protobuf logs every invalid UTF-8 string field it parses to stderr; a
// mutated protobuf has many, which slows the run and buries the report.
inline void SilenceProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int,
                                     const std::string&) {});
}

}  // namespace detlite::fuzz

// Targets that parse protobufs define DETLITE_FUZZ_SILENCE_PROTOBUF before
// including this header.
#ifdef DETLITE_FUZZ_SILENCE_PROTOBUF
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  detlite::fuzz::SilenceProtobufLogs();
  return 0;
}
#endif

#endif  // DETLITE_TESTS_FUZZ_FUZZ_UTIL_H_
