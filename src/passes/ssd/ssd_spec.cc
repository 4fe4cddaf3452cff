#include "passes/ssd/ssd_spec.h"

namespace detlite::ssd {

}  // namespace detlite::ssd
