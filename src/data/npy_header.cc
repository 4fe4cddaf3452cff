#include "data/npy_header.h"

#include <cstdint>

namespace detlite::npy_internal {
namespace {

constexpr int64_t kMaxDim = INT32_MAX;  // detlite::Shape holds int32 dims

// Reads the dict with one character of lookahead; every method either
// advances over what it expects or fails with where and what it saw.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  StatusOr<NpyHeader> Parse() {
    SkipSpace();
    RETURN_IF_ERROR(Expect('{'));
    NpyHeader h;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    for (;;) {
      SkipSpace();
      if (Peek() == '}') break;
      ASSIGN_OR_RETURN(std::string key, ParseString());
      SkipSpace();
      RETURN_IF_ERROR(Expect(':'));
      SkipSpace();
      if (key == "descr" && !seen_descr) {
        ASSIGN_OR_RETURN(h.descr, ParseString());
        seen_descr = true;
      } else if (key == "fortran_order" && !seen_order) {
        ASSIGN_OR_RETURN(h.fortran_order, ParseBool());
        seen_order = true;
      } else if (key == "shape" && !seen_shape) {
        ASSIGN_OR_RETURN(h.shape, ParseTuple());
        seen_shape = true;
      } else {
        return Error("unexpected or repeated key '" + key + "'");
      }
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != '}') {
        return Error("expected ',' or '}'");
      }
    }
    ++pos_;  // '}'
    if (!seen_descr || !seen_order || !seen_shape) {
      return Error("the header must give descr, fortran_order and shape");
    }
    if (text_.empty() || text_.back() != '\n') {
      return Error("the header does not end with a newline");
    }
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the dict");
    return h;
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpace() {
    while (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' ||
           Peek() == '\r') {
      ++pos_;
    }
  }

  Status Error(const std::string& what) const {
    return DataLoss("bad .npy header at byte " + std::to_string(pos_) + ": " +
                    what);
  }

  Status Expect(char c) {
    if (Peek() != c) return Error(std::string("expected '") + c + "'");
    ++pos_;
    return Status::Ok();
  }

  // 'text' or "text", printable ASCII, no escapes (numpy never writes any).
  StatusOr<std::string> ParseString() {
    const char quote = Peek();
    if (quote != '\'' && quote != '"') return Error("expected a quoted string");
    const size_t start = ++pos_;
    while (Peek() != quote) {
      const char c = Peek();
      if (c == '\0' || c == '\\' || c < 0x20 || c > 0x7e) {
        return Error("bad character in a string");
      }
      ++pos_;
    }
    std::string s(text_.substr(start, pos_ - start));
    ++pos_;
    return s;
  }

  StatusOr<bool> ParseBool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    return Error("expected True or False");
  }

  StatusOr<int64_t> ParseDim() {
    if (Peek() < '0' || Peek() > '9') {
      return Error("expected a non-negative integer");
    }
    if (Peek() == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' &&
        text_[pos_ + 1] <= '9') {
      return Error("leading zero in a dimension");  // not a Python literal
    }
    int64_t v = 0;
    while (Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + (Peek() - '0');
      if (v > kMaxDim) return Error("dimension over 2^31-1");
      ++pos_;
    }
    return v;
  }

  // "()", "(3,)", "(2, 3)", "(2, 3,)": as in Python, one element needs the
  // trailing comma, since "(3)" is not a tuple.
  StatusOr<std::vector<int64_t>> ParseTuple() {
    RETURN_IF_ERROR(Expect('('));
    std::vector<int64_t> dims;
    bool trailing_comma = false;
    for (;;) {
      SkipSpace();
      if (Peek() == ')') break;
      if (dims.size() >= 64) return Error("more than 64 dimensions");
      ASSIGN_OR_RETURN(int64_t d, ParseDim());
      dims.push_back(d);
      SkipSpace();
      trailing_comma = Peek() == ',';
      if (trailing_comma) {
        ++pos_;
      } else if (Peek() != ')') {
        return Error("expected ',' or ')' in shape");
      }
    }
    if (dims.size() == 1 && !trailing_comma) {
      return Error("shape (n) needs a comma: (n,)");
    }
    ++pos_;  // ')'
    return dims;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

StatusOr<NpyHeader> ParseNpyHeader(std::string_view text) {
  return HeaderParser(text).Parse();
}

std::string FormatNpyDict(const std::string& descr,
                          const std::vector<int64_t>& shape) {
  std::string tuple = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) tuple += ", ";
    tuple += std::to_string(shape[i]);
  }
  tuple += shape.size() == 1 ? ",)" : ")";
  return "{'descr': '" + descr +
         "', 'fortran_order': False, 'shape': " + tuple + ", }";
}

}  // namespace detlite::npy_internal
