// Writes a TensorFlow tensor bundle (checkpoint V2) of float32 variables,
// the layout importers/tf/tensor_bundle.h reads: "<prefix>.index", a
// LevelDB-style table (one data block, an empty metaindex block, an index
// block, the 48-byte footer; every block followed by its type byte and
// masked CRC-32C) mapping "" to a BundleHeaderProto and each variable name
// to a BundleEntryProto, and one data shard "<prefix>.data-00000-of-00001".
// For tests that need a SavedModel whose weights are real variables.
#ifndef DETLITE_TESTS_SUPPORT_TF_BUNDLE_WRITER_H_
#define DETLITE_TESTS_SUPPORT_TF_BUNDLE_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::testing {

struct FloatVariable {
  std::vector<int64_t> dims;
  std::vector<float> values;
};

Status WriteTensorBundle(const std::string& prefix,
                         const std::map<std::string, FloatVariable>& variables);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_TF_BUNDLE_WRITER_H_
