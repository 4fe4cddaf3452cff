// libFuzzer target for the tensor bundle index reader: the LevelDB-style
// table (footer, block handles, CRCs, snappy, prefix-compressed keys) and the
// BundleEntryProto records in it. No crash, no out-of-bounds read, errors
// name the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "detlite/tf/tensor_bundle.pb.h"
#include "importers/tf/sstable.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto table = detlite::tf_import::ReadTable(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.index");
  if (!table.ok()) {
    if (table.status().message().rfind("fuzz.index", 0) != 0) {
      std::fprintf(stderr, "tf_bundle_fuzzer: %s\n", table.status().ToString().c_str());
      std::abort();
    }
    return 0;
  }
  for (const auto& [key, value] : *table) {
    detlite::tf::BundleEntryProto e;
    (void)e.ParseFromString(value);
  }
  (void)detlite::tf_import::SnappyUncompress(
      std::string_view(reinterpret_cast<const char*>(data), size), 1 << 20);
  return 0;
}
