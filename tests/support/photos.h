// Folders of real photos for calibration in tests, linked (not copied) into
// the per-process temp directory.
#ifndef DETLITE_TESTS_SUPPORT_PHOTOS_H_
#define DETLITE_TESTS_SUPPORT_PHOTOS_H_

#include <string>

namespace detlite::testing {

// 8 photos: of people (for face and palm detectors: one calibrated without
// faces never sees a positive score logit and clips them all), or else the
// first 8 OpenCV sample photos. Empty when scripts/setup.sh has not run.
std::string CalibrationFolder(bool people);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_PHOTOS_H_
