// Where a JSON pointer's value starts in the plan's text, so an error can name
// the line as well as the field. The text has already parsed as JSON, so this
// walker only needs to follow the structure, not to check it.
#include <cctype>
#include <string>
#include <vector>

#include "sweep/plan_fields.h"

namespace detlite::sweep {
namespace {

class LineFinder {
 public:
  explicit LineFinder(const std::string& text) : t_(text) {}

  // 1-based line of the value at segments[k...] below the value at i_; 0 if absent.
  int Find(const std::vector<std::string>& segments, size_t k) {
    Space();
    if (k == segments.size()) return line_;
    if (i_ >= t_.size()) return 0;
    if (t_[i_] == '{') {
      ++i_;
      while (true) {
        Space();
        if (i_ >= t_.size() || t_[i_] != '"') return 0;
        const std::string key = String();
        Space();
        ++i_;  // ':'
        if (key == segments[k]) return Find(segments, k + 1);
        if (!Skip()) return 0;
      }
    }
    if (t_[i_] == '[') {
      ++i_;
      for (size_t index = 0;; ++index) {
        Space();
        if (i_ >= t_.size() || t_[i_] == ']') return 0;
        if (segments[k] == std::to_string(index)) return Find(segments, k + 1);
        if (!Skip()) return 0;
      }
    }
    return 0;
  }

 private:
  void Space() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) {
      if (t_[i_] == '\n') ++line_;
      ++i_;
    }
  }
  // At an opening quote: the raw text up to the closing one.
  std::string String() {
    std::string s;
    for (++i_; i_ < t_.size() && t_[i_] != '"'; ++i_) {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) s += t_[i_++];
      s += t_[i_];
    }
    ++i_;
    return s;
  }
  // Skips one value and the comma after it; false at the container's end.
  bool Skip() {
    Space();
    int depth = 0;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '"') {
        String();
        continue;
      }
      if (c == '\n') ++line_;
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (depth == 0) return false;
        --depth;
      }
      if (c == ',' && depth == 0) {
        ++i_;
        return true;
      }
      ++i_;
    }
    return false;
  }

  const std::string& t_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

int LineOfPointer(const std::string& text, const std::string& pointer) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    size_t end = pointer.find('/', start);
    if (end == std::string::npos) end = pointer.size();
    segments.push_back(pointer.substr(start, end - start));
    start = end + 1;
  }
  // The field itself, else its nearest parent that exists (a missing key).
  while (!segments.empty()) {
    LineFinder finder(text);
    if (int line = finder.Find(segments, 0); line > 0) return line;
    segments.pop_back();
  }
  return 0;
}

}  // namespace detlite::sweep
