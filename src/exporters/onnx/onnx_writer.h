// Writing a float ir::Model as an ONNX model (opset 13, IR version 7), so
// ONNX Runtime can run the same network as the .tflite.
//
// What the ONNX model looks like:
//  - inputs and outputs keep the .tflite's names, NHWC shapes and order, so
//    both files take and return the same bytes;
//  - inside, activations are NCHW (Conv, pools and Resize are NCHW in ONNX):
//    a Transpose after the input and before NHWC-only ops (Reshape, Softmax,
//    outputs), elementwise ops and Concat/Pad stay in the layout they get
//    (exporters/onnx/onnx_graph.h);
//  - every constant is an fp32 initializer: fp16 weights and their
//    DEQUANTIZE, int8 weights' DEQUANTIZE and DENSIFY of sparse weights are
//    computed at export; conv filters are OIHW, depthwise ones a group conv;
//  - fused activations become Relu / Clip / Tanh nodes.
// Refused with one error naming the op: a quantized model (a non-float
// activation), custom ops (TFLite_Detection_PostProcess included: its NMS
// has no equal in ONNX, so export the model that ends in the raw box and
// score tensors), and ops the exporter does not cover.
#ifndef DETLITE_EXPORTERS_ONNX_ONNX_WRITER_H_
#define DETLITE_EXPORTERS_ONNX_ONNX_WRITER_H_

#include <string>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite {

StatusOr<std::string> WriteOnnxBuffer(const ir::Model& model);

// Writes atomically (see core/file_io.h); errors start with `path`.
Status WriteOnnxFile(const ir::Model& model, const std::string& path);

}  // namespace detlite

#endif  // DETLITE_EXPORTERS_ONNX_ONNX_WRITER_H_
