// TFLite builtins cannot express a TensorFlow while loop (TF1 control flow:
// Enter/Merge/Switch/LoopCond/NextIteration/Exit with TensorArrays around
// it; TF2: While/StatelessWhile calling functions). Object Detection API
// graphs keep their per-image preprocessing and their NMS in such loops.
// When the outputs need a loop, the import stops with one error that names
// it and the cut that avoids it: --inputs at the tensors the loop hands on
// (to start after it), or --outputs at the tensors it reads (to end before).
#ifndef DETLITE_IMPORTERS_TF_LOOP_CHECK_H_
#define DETLITE_IMPORTERS_TF_LOOP_CHECK_H_

#include <set>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "importers/tf/graph_order.h"

namespace detlite::tf_import {

// `roots`: the output and cut-input nodes; the walk stops at `stops` (cut
// inputs given a shape, which are not imported).
Status CheckNoLoops(const NodeIndex& index, const std::vector<std::string>& roots,
                    const std::set<std::string>& stops, const std::string& file);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_LOOP_CHECK_H_
