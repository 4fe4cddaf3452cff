#include "support/odapi_ssd_generator.h"

#include <cstring>
#include <map>
#include <random>
#include <set>
#include <variant>

#include "core/file_io.h"
#include "importers/tf_graph_builder.h"
#include "importers/tflite/tflite_reader.h"
#include "core/fp16.h"
#include "passes/ssd/anchors.h"
#include "support/odapi_ssd_nodes.h"

namespace detlite::testing {
namespace {

constexpr char kInput[] = "normalized_input_image_tensor";

struct Walker {
  const ir::Subgraph& sg;
  const OdapiSsdOptions& options;
  OdapiSsdGraph* out;
  std::mt19937 rng;
  std::map<int32_t, size_t> producer;      // tensor -> op index
  std::map<int32_t, std::string> tf_name;  // tensor -> TF tensor name

  const ir::Tensor& T(int32_t i) const {
    return sg.tensors[static_cast<size_t>(i)];
  }

  // Values of a float32 constant, or of a DEQUANTIZE of a float16 constant
  // (the file's fp16 weights, widened exactly as TFLite's DEQUANTIZE does).
  StatusOr<std::vector<float>> Floats(int32_t t) const {
    const ir::Tensor* src = &T(t);
    auto p = producer.find(t);
    if (!src->is_constant() && p != producer.end() &&
        sg.ops[p->second].kind == ir::OpKind::kDequantize) {
      src = &T(sg.ops[p->second].inputs[0]);
    }
    if (!src->is_constant())
      return InvalidArgument("tensor '" + T(t).name + "' is not constant");
    const size_t n = static_cast<size_t>(src->shape.NumElements());
    std::vector<float> v(n);
    if (src->dtype == DType::kFloat32 && src->data->size() == n * 4) {
      std::memcpy(v.data(), src->data->data(), n * 4);
    } else if (src->dtype == DType::kFloat16 && src->data->size() == n * 2) {
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, src->data->data() + 2 * i, 2);
        v[i] = HalfToFloat(h);
      }
    } else {
      return InvalidArgument("tensor '" + src->name +
                             "' is not float32/float16 data");
    }
    return v;
  }

  StatusOr<std::string> Input(int32_t t) const {
    auto it = tf_name.find(t);
    if (it == tf_name.end())
      return InvalidArgument("tensor '" + T(t).name + "' has no TF node");
    return it->second;
  }

  Status Conv(const ir::Operator& op);
  Status Op(const ir::Operator& op);
  Status Output(int32_t tensor);
};

// The first of TFLite's fused names ("a/Relu6;a/BatchNorm/...;..."), which
// is the name of the TensorFlow node that ended the fused group.
std::string LeadName(const std::string& name) {
  return name.substr(0, name.find(';'));
}

// ".../Relu6", ".../BatchNorm/FusedBatchNormV3", ".../BiasAdd" -> "...".
std::string Scope(const std::string& lead) {
  for (const std::string suffix :
       {"/BatchNorm/FusedBatchNormV3", "/Relu6", "/BiasAdd"}) {
    if (lead.size() > suffix.size() &&
        lead.compare(lead.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return lead.substr(0, lead.size() - suffix.size());
    }
  }
  return lead;
}

Status Walker::Conv(const ir::Operator& op) {
  odapi::FoldedConv c;
  c.depthwise = op.kind == ir::OpKind::kDepthwiseConv2D;
  ir::Activation act;
  const auto* dw = std::get_if<ir::DepthwiseConv2DOptions>(&op.options);
  const auto* cv = std::get_if<ir::Conv2DOptions>(&op.options);
  if (c.depthwise ? dw == nullptr : cv == nullptr) {
    return InvalidArgument("op '" + T(op.outputs[0]).name + "' has no options");
  }
  if (c.depthwise) {
    c.stride_h = dw->stride_h, c.stride_w = dw->stride_w,
    c.dilation_h = dw->dilation_h;
    c.dilation_w = dw->dilation_w,
    c.same_padding = dw->padding == ir::Padding::kSame;
    c.depth_multiplier = dw->depth_multiplier, act = dw->activation;
  } else {
    c.stride_h = cv->stride_h, c.stride_w = cv->stride_w,
    c.dilation_h = cv->dilation_h;
    c.dilation_w = cv->dilation_w,
    c.same_padding = cv->padding == ir::Padding::kSame;
    act = cv->activation;
  }
  if (act != ir::Activation::kNone && act != ir::Activation::kRelu6) {
    return InvalidArgument("op '" + T(op.outputs[0]).name +
                           "': activation is not RELU6 or none");
  }
  c.relu6 = act == ir::Activation::kRelu6;
  c.filter_shape = T(op.inputs[1]).shape.dims();
  ASSIGN_OR_RETURN(c.filter, Floats(op.inputs[1]));
  ASSIGN_OR_RETURN(c.bias, Floats(op.inputs[2]));
  ASSIGN_OR_RETURN(std::string in, Input(op.inputs[0]));
  const std::string scope = Scope(LeadName(T(op.outputs[0]).name));
  if (scope.rfind("BoxPredictor_", 0) == 0) {
    if (c.relu6)
      return InvalidArgument("predictor '" + scope + "' has an activation");
    tf_name[op.outputs[0]] = odapi::AddConvBias(out->graph, scope, in, c);
    ++out->predictor_convs;
  } else {
    tf_name[op.outputs[0]] = odapi::AddConvBatchNorm(out->graph, scope, in, c,
                                                     options.bn_epsilon, rng);
    ++out->batch_norms;
  }
  return Status::Ok();
}

// Boxes [1,N,4] end in Identity raw_outputs/box_encodings; class logits get
// the pipeline's sigmoid score converter first.
Status Walker::Output(int32_t t) {
  ASSIGN_OR_RETURN(std::string in, Input(t));
  const Shape& s = T(t).shape;
  if (s.rank() == 3 && s.dim(2) == 4) {
    odapi::AddUnary(out->graph, "raw_outputs/box_encodings", "Identity", in);
  } else {
    odapi::AddUnary(out->graph, "convert_scores", "Sigmoid", in);
    odapi::AddUnary(out->graph, "raw_outputs/class_predictions", "Identity",
                    "convert_scores");
    out->num_classes = s.dim(2) - 1;
  }
  return Status::Ok();
}

Status Walker::Op(const ir::Operator& op) {
  tf::GraphDef& g = out->graph;
  const std::string lead =
      op.outputs.empty() ? "" : LeadName(T(op.outputs[0]).name);
  switch (op.kind) {
    case ir::OpKind::kDequantize:
      return Status::Ok();  // read through by Floats()
    case ir::OpKind::kConv2D:
    case ir::OpKind::kDepthwiseConv2D:
      return Conv(op);
    case ir::OpKind::kAdd: {
      const auto* o = std::get_if<ir::ArithmeticOptions>(&op.options);
      if (o != nullptr && o->activation != ir::Activation::kNone) {
        return InvalidArgument("ADD '" + lead + "' has a fused activation");
      }
      ASSIGN_OR_RETURN(std::string a, Input(op.inputs[0]));
      ASSIGN_OR_RETURN(std::string b, Input(op.inputs[1]));
      tf::NodeDef* n = AddNode(g, lead, "AddV2", {a, b});
      (*n->mutable_attr())["T"].set_type(tf::DT_FLOAT);
      tf_name[op.outputs[0]] = lead;
      return Status::Ok();
    }
    case ir::OpKind::kReshape: {
      ASSIGN_OR_RETURN(std::string in, Input(op.inputs[0]));
      const Shape& s = T(op.outputs[0]).shape;
      std::vector<int32_t> squeezed = T(op.inputs[0]).shape.dims();
      if (squeezed.size() == 4 && squeezed[2] == 1)
        squeezed.erase(squeezed.begin() + 2);
      if (squeezed == s.dims()) {
        // [1,N,1,4] -> [1,N,4]: the meta-architecture's squeeze of the boxes.
        tf::NodeDef* n = AddNode(g, "Squeeze", "Squeeze", {in});
        (*n->mutable_attr())["T"].set_type(tf::DT_FLOAT);
        SetInts(n, "squeeze_dims", {2});
        tf_name[op.outputs[0]] = "Squeeze";
        return Status::Ok();
      }
      std::vector<int32_t> tail(s.dims().begin() + 1, s.dims().end());
      tail[0] = -1;
      tf_name[op.outputs[0]] = odapi::AddBatchReshape(g, lead, in, tail);
      return Status::Ok();
    }
    case ir::OpKind::kConcatenation: {
      std::vector<std::string> in;
      for (int32_t t : op.inputs) {
        ASSIGN_OR_RETURN(std::string name, Input(t));
        in.push_back(name);
      }
      // Boxes [1,N,1,4] are "concat", class predictions "concat_1".
      const std::string name =
          T(op.outputs[0]).shape.rank() == 4 ? "concat" : "concat_1";
      const auto* o = std::get_if<ir::ConcatenationOptions>(&op.options);
      if (o == nullptr || o->activation != ir::Activation::kNone) {
        return InvalidArgument("CONCATENATION '" + lead +
                               "' has no options or an activation");
      }
      tf_name[op.outputs[0]] = odapi::AddConcat(g, name, in, o->axis);
      return Status::Ok();
    }
    default:
      return Unimplemented("op " + std::string(ir::OpKindName(op.kind)) +
                           " ('" + lead +
                           "') has no Object Detection API pattern here");
  }
}

void AddPostProcess(tf::GraphDef& g, const OdapiSsdOptions& o,
                    int num_classes) {
  tf::NodeDef* n =
      AddNode(g, "TFLite_Detection_PostProcess", "TFLite_Detection_PostProcess",
              {"raw_outputs/box_encodings", "raw_outputs/class_predictions",
               "anchors"});
  auto& a = *n->mutable_attr();
  a["_output_quantized"].set_b(true);
  for (int i = 0; i < 4; ++i)
    a["_output_types"].mutable_list()->add_type(tf::DT_FLOAT);
  a["_support_output_type_float_in_quantized_op"].set_b(true);
  a["max_detections"].set_i(o.max_detections);
  a["max_classes_per_detection"].set_i(o.max_classes_per_detection);
  a["nms_score_threshold"].set_f(o.nms_score_threshold);
  a["nms_iou_threshold"].set_f(o.nms_iou_threshold);
  a["num_classes"].set_i(num_classes);
  a["y_scale"].set_f(o.box_coder.y_scale);
  a["x_scale"].set_f(o.box_coder.x_scale);
  a["h_scale"].set_f(o.box_coder.h_scale);
  a["w_scale"].set_f(o.box_coder.w_scale);
}

}  // namespace

StatusOr<OdapiSsdGraph> GenerateOdapiSsdGraph(const std::string& tflite_path,
                                              const OdapiSsdOptions& options) {
  ASSIGN_OR_RETURN(ir::Model model, ReadTfliteFile(tflite_path));
  const ir::Subgraph& sg = model.subgraphs[0];
  if (sg.inputs.size() != 1 || sg.outputs.size() != 2) {
    return InvalidArgument(tflite_path +
                           ": expected one input and two raw SSD outputs");
  }
  const Shape& in_shape = sg.tensors[static_cast<size_t>(sg.inputs[0])].shape;
  if (in_shape.rank() != 4 || in_shape.dim(1) != in_shape.dim(2)) {
    return InvalidArgument(tflite_path + ": expected a square [1,H,W,3] input");
  }
  OdapiSsdGraph out;
  out.image_size = in_shape.dim(1);
  Walker w{sg, options, &out, std::mt19937(options.seed), {}, {}};
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t o : sg.ops[i].outputs) w.producer[o] = i;
  }
  AddPlaceholder(out.graph, kInput,
                 {1, in_shape.dim(1), in_shape.dim(2), in_shape.dim(3)});
  w.tf_name[sg.inputs[0]] = kInput;
  for (const ir::Operator& op : sg.ops) {
    RETURN_IF_ERROR(w.Op(op).WithContext(tflite_path));
  }
  for (int32_t o : sg.outputs)
    RETURN_IF_ERROR(w.Output(o).WithContext(tflite_path));

  const int64_t num_boxes =
      sg.tensors[static_cast<size_t>(sg.outputs[0])].shape.dim(1);
  ssd::SsdAnchorSpec
      spec;  // num_layers 6, 0.2..0.95, {1,2,0.5,3,0.3333}, reduced
  ASSIGN_OR_RETURN(
      auto maps, ssd::InferSsdFeatureMaps(spec, out.image_size, out.image_size,
                                          num_boxes));
  ASSIGN_OR_RETURN(
      out.anchors,
      ssd::GenerateSsdAnchors(spec, maps, out.image_size, out.image_size));
  std::vector<float> flat;
  for (const ssd::Anchor& a : out.anchors)
    flat.insert(flat.end(), {a.y, a.x, a.h, a.w});
  AddFloatConst(out.graph, "anchors",
                {static_cast<int64_t>(out.anchors.size()), 4}, flat);
  if (options.add_postprocess)
    AddPostProcess(out.graph, options, out.num_classes);

  std::set<std::string> names;
  for (const tf::NodeDef& n : out.graph.node()) {
    if (!names.insert(n.name()).second)
      return Internal("generator wrote '" + n.name() + "' twice");
  }
  return out;
}

Status WriteGraphDef(const tf::GraphDef& graph, const std::string& path) {
  std::string bytes;
  if (!graph.SerializeToString(&bytes))
    return Internal("cannot serialize the GraphDef");
  return WriteFileAtomic(path, std::string_view(bytes));
}

}  // namespace detlite::testing
