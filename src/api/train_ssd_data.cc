#include "api/train_ssd_data.h"

#include <cstring>

#include "api/tensor_info.h"
#include "api/train_ssd_config.h"
#include "train/ssd_head.h"

namespace detlite::api {

StatusOr<std::unique_ptr<SsdTrainingSet>> SsdTrainingSet::Open(const Model& model,
                                                               const TrainOptions& options) {
  const ir::Model& float_model = model.ir();
  if (float_model.subgraphs.empty() || float_model.subgraphs[0].inputs.size() != 1) {
    return Unimplemented("training needs a model with one input");
  }
  const ir::Subgraph& sg = float_model.subgraphs[0];
  ASSIGN_OR_RETURN(train::SsdHead head, train::FindSsdHead(sg));
  std::unique_ptr<SsdTrainingSet> set(new SsdTrainingSet);
  ASSIGN_OR_RETURN(set->dataset_, LoadDataset(options.data));
  const Dataset& ds = set->dataset_;
  if (!ds.labelled()) {
    return InvalidArgument(options.data + ": --loss ssd needs labelled data (a COCO json, a VOC "
                           "directory or a TFRecord); a folder of images has no boxes");
  }
  ASSIGN_OR_RETURN(set->labels_,
                   SsdTrainingLabels(model, ds, head.background_columns, options.labels));
  if (set->labels_.used == 0) {
    return InvalidArgument(ds.path + ": no usable boxes for --loss ssd in " +
                           std::to_string(ds.samples.size()) + " images: " + set->labels_.note);
  }
  set->input_ = MakeTensorInfo(sg, sg.inputs[0]);
  if (set->input_.dtype != "float32") return InvalidArgument("training needs a float32 model input");
  set->augment_.flip = options.augment_flip;
  set->augment_.crop = options.augment_crop;
  set->augment_.color = options.augment_color;
  set->preprocess_ = options.preprocess;
  return set;
}

train::SsdSampleLoader SsdTrainingSet::Loader() const {
  return [this](int index, uint64_t seed) -> StatusOr<train::SsdSample> {
    const DatasetSample& s = dataset_.samples[static_cast<size_t>(index)];
    ASSIGN_OR_RETURN(RgbImage img, LoadSampleImage(s));
    train::SsdSample out;
    out.name = s.file_name;
    const float w = static_cast<float>(img.width), h = static_cast<float>(img.height);
    for (const SsdLabelledBox& b : labels_.boxes[static_cast<size_t>(index)]) {
      out.boxes.push_back({b.ymin / h, b.xmin / w, b.ymax / h, b.xmax / w, b.column});
    }
    train::Augment(augment_, seed, &img, &out.boxes);
    ASSIGN_OR_RETURN(HostTensor t, ImageToInput(img, input_, preprocess_));
    if (t.bytes.size() % sizeof(float) != 0) return InvalidArgument("training needs a float32 model input");
    out.input.resize(t.bytes.size() / sizeof(float));
    std::memcpy(out.input.data(), t.bytes.data(), t.bytes.size());
    return out;
  };
}

StatusOr<train::SsdLossOptions> SsdLossOf(const TrainOptions& options) {
  train::SsdLossOptions loss;
  loss.classification.kind = options.ssd_class_loss == SsdClassLoss::kSigmoidFocal
                                 ? train::ClassLoss::kSigmoidFocal
                             : options.ssd_class_loss == SsdClassLoss::kSoftmax
                                 ? train::ClassLoss::kSoftmax
                                 : train::ClassLoss::kSigmoid;
  loss.hard_mining = options.ssd_hard_mining;
  if (!options.pipeline_config.empty()) {
    RETURN_IF_ERROR(ApplyPipelineLossSettings(options.pipeline_config, &loss));
  }
  return loss;
}

}  // namespace detlite::api
