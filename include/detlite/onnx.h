// Writing a float model as ONNX, for running it in ONNX Runtime (detlite's
// float speed peer: `detlite bench --vs-onnxruntime`).
//
//   ASSIGN_OR_RETURN(detlite::Model m, detlite::Model::Load("face.tflite"));
//   RETURN_IF_ERROR(detlite::SaveOnnx(m, "face.onnx"));
//
// The ONNX model takes and returns the same NHWC tensors as the .tflite
// (same names and order). Quantized models, custom ops (such as
// TFLite_Detection_PostProcess) and ops the exporter does not cover are
// refused with one error naming the op.
#ifndef DETLITE_ONNX_H_
#define DETLITE_ONNX_H_

#include <string>

#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite {

// Writes atomically (temporary file, then rename); errors start with `path`.
Status SaveOnnx(const Model& model, const std::string& path);

// True when `path` ends in ".onnx" (any case): the writer `convert` picks.
bool IsOnnxPath(const std::string& path);

}  // namespace detlite

#endif  // DETLITE_ONNX_H_
