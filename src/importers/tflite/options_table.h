// The builtin options table each builtin operator code takes.
#ifndef DETLITE_IMPORTERS_TFLITE_OPTIONS_TABLE_H_
#define DETLITE_IMPORTERS_TFLITE_OPTIONS_TABLE_H_

#include <cstdint>

#include "detlite/schemas/tflite_generated.h"

namespace detlite::tflite_import {

// Codes above this came with BuiltinOptions2 or later; for them detlite
// knows no table and does not judge.
inline constexpr int32_t kLastCodeWithKnownOptions =
    static_cast<int32_t>(fb::BuiltinOperator::RIGHT_SHIFT);

// NONE for ops that take no options (RELU, LOGISTIC, CUSTOM, ...).
fb::BuiltinOptions ExpectedOptions(int32_t code);

}  // namespace detlite::tflite_import

#endif  // DETLITE_IMPORTERS_TFLITE_OPTIONS_TABLE_H_
