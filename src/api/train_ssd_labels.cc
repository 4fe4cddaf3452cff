#include "api/train_ssd_labels.h"

#include "api/eval_classes.h"

namespace detlite::api {

StatusOr<SsdLabels> SsdTrainingLabels(const Model& model, const Dataset& ds, int background_columns,
                                      const std::string& label_file) {
  EvalOptions eo;
  eo.labels = label_file;
  ASSIGN_OR_RETURN(Detector detector, Detector::Create(model, EvalDetectorOptions(eo)));
  ASSIGN_OR_RETURN(ClassNames names, ResolveClassNames(model, eo, detector));
  ASSIGN_OR_RETURN(ClassMapping mapping, MapClasses(names, ds, detector));
  SsdLabels out;
  for (const auto& [cls, category] : mapping.to_category) {
    if (category >= 0) out.columns.try_emplace(category, cls + background_columns);
  }
  out.boxes.resize(ds.samples.size());
  for (size_t i = 0; i < ds.samples.size(); ++i) {
    for (const BoxAnnotation& b : ds.samples[i].boxes) {
      ++out.total;
      auto it = out.columns.find(b.category_id);
      if (b.iscrowd || b.difficult) {
        ++out.crowd;
      } else if (it == out.columns.end()) {
        ++out.unmapped;
      } else if (!(b.xmax > b.xmin && b.ymax > b.ymin)) {
        ++out.empty;
      } else {
        out.boxes[i].push_back({b.xmin, b.ymin, b.xmax, b.ymax, it->second});
        ++out.used;
      }
    }
  }
  out.note = mapping.note + "; " + std::to_string(out.used) + " of " + std::to_string(out.total) +
             " boxes used (" + std::to_string(out.crowd) + " crowd or difficult, " +
             std::to_string(out.unmapped) + " of categories the model does not predict, " +
             std::to_string(out.empty) + " empty)";
  return out;
}

}  // namespace detlite::api
