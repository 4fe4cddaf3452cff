// An op quantization left in float, and why: what QuantizeReport lists so
// that tools and scripts can filter by reason instead of reading messages.
// A vocabulary header with no dependencies (quantization fills it too).
#ifndef DETLITE_KEPT_FLOAT_H_
#define DETLITE_KEPT_FLOAT_H_

#include <string>

namespace detlite {

struct KeptFloat {
  enum class Reason {
    kNoRule,       // no integer kernel for it in this mode (e.g. a custom op)
    kKeepFloat,    // the user asked (--keep-float)
    kConcatTrap,   // a concatenation whose inputs' ranges differ too much
    kNotEligible,  // dynamic range: weights too small, sparse, not constant, dilation...
    kFloatIsland,  // moves data from float ops to float ops: int8 would only add rounding
  };
  std::string op;      // op name ("LOGISTIC") or custom code
  std::string tensor;  // its first output
  Reason reason = Reason::kNoRule;
  std::string detail;  // e.g. "weights have fewer than 1024 values", "--keep-float head"
};

inline const char* KeptFloatReasonName(KeptFloat::Reason r) {
  switch (r) {
    case KeptFloat::Reason::kNoRule: return "no-rule";
    case KeptFloat::Reason::kKeepFloat: return "keep-float";
    case KeptFloat::Reason::kConcatTrap: return "concat-trap";
    case KeptFloat::Reason::kNotEligible: return "not-eligible";
    case KeptFloat::Reason::kFloatIsland: return "float-island";
  }
  return "?";
}

// "LOGISTIC 'scores' stays float (--keep-float LOGISTIC)".
inline std::string Describe(const KeptFloat& k) {
  return k.op + " '" + k.tensor + "' stays float (" + k.detail + ")";
}

}  // namespace detlite

#endif  // DETLITE_KEPT_FLOAT_H_
