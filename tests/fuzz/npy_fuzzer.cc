// libFuzzer target for the .npy reader (magic, version, header dict, dtype,
// shape, data size). Checked: no crash or undefined behaviour; a rejection
// names the file; an accepted array holds exactly product(shape) elements
// and survives SerializeNpy -> ParseNpy unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "data/npy.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto array = detlite::ParseNpy(data, size, "fuzz.npy");
  detlite::fuzz::CheckNamed(array.status(), "fuzz.npy", "npy_fuzzer");
  if (!array.ok()) return 0;
  auto bytes = detlite::SerializeNpy(*array);
  if (!bytes.ok()) {
    std::fprintf(stderr, "npy_fuzzer: read array not writable: %s\n",
                 bytes.status().ToString().c_str());
    std::abort();
  }
  auto again = detlite::ParseNpy(bytes->data(), bytes->size(), "rewritten.npy");
  if (!again.ok() || again->dtype != array->dtype || again->shape != array->shape ||
      again->bytes != array->bytes) {
    std::fprintf(stderr, "npy_fuzzer: round trip changed the array\n");
    std::abort();
  }
  return 0;
}
