#include "detlite/input_size.h"

#include "passes/resize_input.h"

namespace detlite {
namespace {

constexpr int kMaxSide = 16384;

bool ParseSide(const std::string& s, int* out) {
  if (s.empty() || s.size() > 5) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > kMaxSide) return false;
  *out = v;
  return true;
}

}  // namespace

std::string InputSize::ToString() const {
  return std::to_string(height) + "x" + std::to_string(width);
}

StatusOr<InputSize> ParseInputSize(const std::string& text) {
  InputSize s;
  const size_t x = text.find_first_of("xX");
  const bool ok = x == std::string::npos
                      ? ParseSide(text, &s.height) && ParseSide(text, &s.width)
                      : ParseSide(text.substr(0, x), &s.height) &&
                            ParseSide(text.substr(x + 1), &s.width);
  if (!ok) {
    return InvalidArgument("input size '" + text + "': expected HxW (e.g. 320x320) or N, "
                           "each side 1.." + std::to_string(kMaxSide));
  }
  return s;
}

StatusOr<InputSizeReport> SetInputSize(Model& model, InputSize size) {
  const std::string where = model.path().empty() ? "model" : model.path();
  if (!size.given()) return InvalidArgument(where + ": no input size given");
  passes::ResizeInputResult r;
  RETURN_IF_ERROR(
      passes::ResizeInput(model.mutable_ir(), size.height, size.width, &r).WithContext(where));
  InputSizeReport out;
  out.from_height = r.from_height;
  out.from_width = r.from_width;
  out.height = size.height;
  out.width = size.width;
  out.changed = r.changed;
  out.anchors_before = r.anchors_before;
  out.anchors_after = r.anchors_after;
  out.log = std::move(r.log);
  if (!r.changed) out.log.push_back("input size " + size.ToString() + " is the model's own: unchanged");
  return out;
}

}  // namespace detlite
