#include "ir/printer.h"

#include <sstream>

namespace detlite::ir {
namespace {

const char* ActName(Activation a) {
  switch (a) {
    case Activation::kNone: return "NONE";
    case Activation::kRelu: return "RELU";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kRelu6: return "RELU6";
    case Activation::kTanh: return "TANH";
    case Activation::kSignBit: return "SIGN_BIT";
  }
  return "?";
}

const char* PadName(Padding p) { return p == Padding::kSame ? "SAME" : "VALID"; }

template <typename V>
std::string List(const V& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  s << "]";
  return s.str();
}

struct OptionsPrinter {
  std::ostringstream& s;
  void operator()(const std::monostate&) {}
  void operator()(const Conv2DOptions& o) {
    s << "padding=" << PadName(o.padding) << " stride=" << o.stride_h << "x" << o.stride_w
      << " dilation=" << o.dilation_h << "x" << o.dilation_w << " act=" << ActName(o.activation);
  }
  void operator()(const DepthwiseConv2DOptions& o) {
    s << "padding=" << PadName(o.padding) << " stride=" << o.stride_h << "x" << o.stride_w
      << " multiplier=" << o.depth_multiplier << " dilation=" << o.dilation_h << "x"
      << o.dilation_w << " act=" << ActName(o.activation);
  }
  void operator()(const TransposeConvOptions& o) {
    s << "padding=" << PadName(o.padding) << " stride=" << o.stride_h << "x" << o.stride_w
      << " act=" << ActName(o.activation);
  }
  void operator()(const Pool2DOptions& o) {
    s << "padding=" << PadName(o.padding) << " stride=" << o.stride_h << "x" << o.stride_w
      << " filter=" << o.filter_h << "x" << o.filter_w << " act=" << ActName(o.activation);
  }
  void operator()(const FullyConnectedOptions& o) {
    s << "act=" << ActName(o.activation) << " keep_num_dims=" << o.keep_num_dims;
  }
  void operator()(const ArithmeticOptions& o) { s << "act=" << ActName(o.activation); }
  void operator()(const ConcatenationOptions& o) {
    s << "axis=" << o.axis << " act=" << ActName(o.activation);
  }
  void operator()(const ReshapeOptions& o) { s << "new_shape=" << List(o.new_shape); }
  void operator()(const SoftmaxOptions& o) { s << "beta=" << o.beta; }
  void operator()(const ResizeOptions& o) {
    s << "align_corners=" << o.align_corners << " half_pixel_centers=" << o.half_pixel_centers;
  }
  void operator()(const ReducerOptions& o) { s << "keep_dims=" << o.keep_dims; }
  void operator()(const StridedSliceOptions& o) {
    s << "begin_mask=" << o.begin_mask << " end_mask=" << o.end_mask
      << " shrink_axis_mask=" << o.shrink_axis_mask;
  }
  void operator()(const SqueezeOptions& o) { s << "dims=" << List(o.squeeze_dims); }
  void operator()(const PackOptions& o) { s << "count=" << o.count << " axis=" << o.axis; }
  void operator()(const GatherOptions& o) { s << "axis=" << o.axis << " batch_dims=" << o.batch_dims; }
  void operator()(const CastOptions& o) {
    if (o.has_types) s << "in=" << DTypeName(o.in_type) << " out=" << DTypeName(o.out_type);
  }
  void operator()(const LeakyReluOptions& o) { s << "alpha=" << o.alpha; }
  void operator()(const SplitOptions& o) { s << "num_splits=" << o.num_splits; }
  void operator()(const BlockSizeOptions& o) { s << "block_size=" << o.block_size; }
  void operator()(const ArgMinMaxOptions& o) { s << "output_type=" << DTypeName(o.output_type); }
  void operator()(const L2NormOptions& o) { s << "act=" << ActName(o.activation); }
  void operator()(const MirrorPadOptions& o) { s << (o.symmetric ? "SYMMETRIC" : "REFLECT"); }
  void operator()(const BatchMatMulOptions& o) { s << "adj_x=" << o.adj_x << " adj_y=" << o.adj_y; }
  void operator()(const GeluOptions& o) { s << "approximate=" << o.approximate; }
  void operator()(const CumsumOptions& o) {
    s << "exclusive=" << o.exclusive << " reverse=" << o.reverse;
  }
  void operator()(const BucketizeOptions& o) { s << "boundaries=" << o.boundaries.size(); }
};

std::string Refs(const std::vector<int32_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "");
    s += v[i] < 0 ? std::string("-") : "%" + std::to_string(v[i]);
  }
  return s;
}

}  // namespace

std::string OptionsToString(const OpOptions& options) {
  std::ostringstream s;
  std::visit(OptionsPrinter{s}, options);
  return s.str();
}

std::string TensorToString(const Subgraph& sg, int32_t index) {
  const Tensor& t = sg.tensors[static_cast<size_t>(index)];
  std::ostringstream s;
  s << "%" << index << " " << DTypeName(t.dtype) << t.shape.ToString() << " '" << t.name << "'";
  if (t.quant.has_scale()) {
    if (t.quant.per_axis()) {
      s << " q(per-axis " << t.quant.scale.size() << " on dim " << t.quant.quantized_dimension << ")";
    } else {
      s << " q(" << t.quant.scale[0] << ","
        << (t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0]) << ")";
    }
  }
  if (t.data) s << " const(" << t.data->size() << " B)";
  if (t.sparsity) s << " sparse";
  if (t.is_variable) s << " variable";
  return s.str();
}

std::string OperatorToString(const Subgraph& sg, const Operator& op, size_t index) {
  std::ostringstream s;
  s << "op " << index << " "
    << (op.kind == OpKind::kCustom ? op.custom_code : std::string(OpKindName(op.kind))) << "("
    << Refs(op.inputs) << ") -> (" << Refs(op.outputs) << ")";
  const std::string opts = OptionsToString(op.options);
  if (!opts.empty()) s << " {" << opts << "}";
  if (!op.custom_options.empty()) s << " custom_options(" << op.custom_options.size() << " B)";
  (void)sg;
  return s.str();
}

std::string ModelToString(const Model& model) {
  std::ostringstream s;
  for (size_t k = 0; k < model.subgraphs.size(); ++k) {
    const Subgraph& sg = model.subgraphs[k];
    s << "subgraph " << k << " '" << sg.name << "' inputs(" << Refs(sg.inputs) << ") outputs("
      << Refs(sg.outputs) << ")\n";
    for (size_t i = 0; i < sg.tensors.size(); ++i) {
      s << "  " << TensorToString(sg, static_cast<int32_t>(i)) << "\n";
    }
    for (size_t i = 0; i < sg.ops.size(); ++i) s << "  " << OperatorToString(sg, sg.ops[i], i) << "\n";
  }
  for (const Metadata& m : model.metadata) s << "metadata '" << m.name << "' " << m.data.size() << " B\n";
  for (const SignatureDef& sig : model.signatures) {
    s << "signature '" << sig.key << "' subgraph " << sig.subgraph_index << "\n";
  }
  return s.str();
}

}  // namespace detlite::ir
