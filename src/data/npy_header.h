// The header dict of a .npy file (see npy.h): a strict parser for the subset
// of Python literal syntax numpy writes, and the writer numpy's own output is
// matched against.
#ifndef DETLITE_DATA_NPY_HEADER_H_
#define DETLITE_DATA_NPY_HEADER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"

namespace detlite::npy_internal {

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// `text` is the header after the length field, through its final '\n'.
// Exactly the keys descr, fortran_order and shape, each once, in any order;
// dims are non-negative decimal integers below 2^31. Errors are DataLoss with
// a message that does not name the file (the caller adds it).
StatusOr<NpyHeader> ParseNpyHeader(std::string_view text);

// The dict as numpy.save writes it, without padding: "{'descr': '<f4',
// 'fortran_order': False, 'shape': (2, 3), }".
std::string FormatNpyDict(const std::string& descr,
                          const std::vector<int64_t>& shape);

}  // namespace detlite::npy_internal

#endif  // DETLITE_DATA_NPY_HEADER_H_
