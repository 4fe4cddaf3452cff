// Pascal VOC annotations: one xml file per image,
//   <annotation>
//     <filename>x.jpg</filename>
//     <size><width/><height/><depth/></size>          (optional: 0 if absent)
//     <object>                                        (any number)
//       <name>dog</name> <difficult>0|1</difficult>   (difficult optional)
//       <bndbox><xmin/><ymin/><xmax/><ymax/></bndbox>
//     </object>
//   </annotation>
// Coordinates are VOC's 1-based pixels, kept as written (integers or
// decimals). The dataset's categories are the sorted set of object names,
// ids 1..N; image ids are the samples' 0-based indices.
#ifndef DETLITE_DATA_DATASETS_VOC_H_
#define DETLITE_DATA_DATASETS_VOC_H_

#include <string>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// One annotation file's text to a sample (category ids left 0; `name`
// stands in for the file in errors). Boxes carry their names in `label`.
StatusOr<DatasetSample> ParseVocAnnotation(const std::string& xml, const std::string& name);

// `dir` holds Annotations/*.xml (sorted by name); images are looked for in
// options.images_dir, else JPEGImages/, else images/.
StatusOr<Dataset> LoadVocDataset(const std::string& dir, const DatasetOptions& options);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_VOC_H_
