// The float tensor a quantized tensor stands for: quantization names the
// int8/int16 copy of tensor T "T_int8" / "T_int16" (src/quant/full_integer.cc).
#ifndef DETLITE_API_QUANTIZED_NAME_H_
#define DETLITE_API_QUANTIZED_NAME_H_

#include <string>

namespace detlite::api {

inline std::string FloatTensorName(std::string name) {
  for (const std::string suffix : {"_int8", "_int16"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
    }
  }
  return name;
}

}  // namespace detlite::api

#endif  // DETLITE_API_QUANTIZED_NAME_H_
