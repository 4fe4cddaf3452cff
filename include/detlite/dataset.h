// Labelled datasets (COCO json, Pascal VOC xml, Object Detection API
// TFRecord, plain image folders) and label maps (every common format, see
// LabelFormat), as used by eval, detect --labels and
// quantization calibration. Every reader treats its files as hostile: a
// malformed file yields a Status naming the file and the record or element.
#ifndef DETLITE_DATASET_H_
#define DETLITE_DATASET_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/status.h"

namespace detlite {

// One labelled object. Coordinates are absolute pixels as the dataset gives
// them: VOC's 1-based integers are kept, not shifted.
struct BoxAnnotation {
  int category_id = 0;  // the dataset's id (COCO id, VOC/record label id)
  std::string label;    // category name ("" when the dataset names none)
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  bool iscrowd = false;    // COCO iscrowd / OD API image/object/is_crowd
  bool difficult = false;  // VOC difficult / OD API image/object/difficult
  double area = -1;        // the file's 'area' if it gives one, else -1
};

struct DatasetSample {
  // COCO: the image's id. TFRecord: image/source_id when every record's is
  // an integer, else the record index. VOC and folders: the 0-based index.
  int64_t image_id = 0;
  std::string file_name;   // as named in the dataset
  std::string image_path;  // resolved path on disk; empty when embedded
  std::vector<uint8_t> encoded_image;  // JPEG/PNG bytes when embedded
  int width = 0, height = 0;  // from the annotation (0 if unknown)
  std::vector<BoxAnnotation> boxes;
};

struct Category {
  int id = 0;
  std::string name;
};

struct Dataset {
  std::string path;
  std::string format;  // "coco", "voc", "tfrecord", "folder"
  std::vector<Category> categories;  // sorted by id
  std::vector<DatasetSample> samples;
  bool labelled() const { return format != "folder"; }
};

struct DatasetOptions {
  int64_t max_samples = -1;  // < 0: all; else the first max_samples
  std::string images_dir;    // where COCO/VOC images are (else found)
};

// Detects the format of `path`:
//  - a directory with Annotations/*.xml = VOC (images in JPEGImages/ or
//    images/, or options.images_dir);
//  - a .json file, or a directory holding labels.json, exactly one *.json,
//    or exactly one annotations/*.json = COCO (images beside the json or in
//    images/, or options.images_dir);
//  - a .record/.tfrecord file, or any file starting with a valid TFRecord
//    header = Object Detection API TFRecord (images embedded);
//  - any other directory of *.jpg/*.jpeg/*.png/*.bmp = folder (sorted by
//    name, no boxes).
// Image files are not opened here: a COCO ground truth without its images
// loads, and LoadSampleImage reports the missing file.
StatusOr<Dataset> LoadDataset(const std::string& path,
                              const DatasetOptions& options = {});

// The sample's image decoded to RGB: the embedded bytes, else image_path.
StatusOr<RgbImage> LoadSampleImage(const DatasetSample& sample);

// The label file formats detlite reads, recognised from the content (the
// extension only breaks ties):
//  kLines  one name a line: line i names class index i (blank lines kept as
//          "", "???" kept);
//  kIdName `ID NAME` or `ID: NAME` lines (Coral's coco_labels.txt), ids as
//          given = model class index;
//  kPbtxt  the Object Detection API's StringIntLabelMap (`item { }`), ids as
//          given (1-based dataset ids; 0 = background);
//  kYaml   a YOLO data/metadata.yaml's `names:` (a map `0: person` or a list),
//          ids = model class index;
//  kJson   a json object with `names` (map or list), e.g. Ultralytics'
//          metadata.json, or a plain {"0": "person"} map / ["person"] list.
enum class LabelFormat { kLines, kIdName, kPbtxt, kYaml, kJson };
const char* LabelFormatName(LabelFormat format);

struct LabelMap {
  std::map<int, std::string> names;  // id -> display_name, else name
  bool from_pbtxt = false;           // ids are 1-based (format == kPbtxt)
  LabelFormat format = LabelFormat::kLines;
  std::string Name(int id) const;  // "" if unknown
};

// Reads a label file of any LabelFormat. Errors name the file and, for text
// formats, the line.
StatusOr<LabelMap> LoadLabelMap(const std::string& path);

}  // namespace detlite

#endif  // DETLITE_DATASET_H_
