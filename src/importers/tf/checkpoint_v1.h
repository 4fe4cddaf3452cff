// TensorFlow's V1 checkpoint ("model.ckpt-N", "export-00000-of-00001"): the
// table format of sstable.h, whose "" key holds a SavedTensorSlices with the
// metadata (name, shape, type of every variable) and whose other values each
// hold one SavedSlice (variable name, slice, TensorProto data without a
// dtype). Only variables saved whole (one full slice) are supported.
#ifndef DETLITE_IMPORTERS_TF_CHECKPOINT_V1_H_
#define DETLITE_IMPORTERS_TF_CHECKPOINT_V1_H_

#include <map>
#include <string>

#include "detlite/status.h"
#include "importers/tf/tf_tensor.h"

namespace detlite::tf_import {

StatusOr<std::map<std::string, ConstTensor>> ReadCheckpointV1(const std::string& path);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_CHECKPOINT_V1_H_
