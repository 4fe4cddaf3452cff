#include "passes/ssd/ssd_spec.h"

namespace detlite::ssd {

const char* ScoreConverterName(ScoreConverter c) {
  switch (c) {
    case ScoreConverter::kAuto: return "auto";
    case ScoreConverter::kIdentity: return "identity";
    case ScoreConverter::kSigmoid: return "sigmoid";
    case ScoreConverter::kSoftmax: return "softmax";
  }
  return "?";
}

}  // namespace detlite::ssd
