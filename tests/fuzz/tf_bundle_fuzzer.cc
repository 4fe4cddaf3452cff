// libFuzzer target for TensorFlow checkpoints. The first byte picks:
//  0: a tensor bundle (checkpoint V2): the rest is "<prefix>.index" and
//     "<prefix>.data-00000-of-00001" joined by kPartSeparator (fuzz_util.h);
//     the bundle is opened and every key read (tensors and strings);
//  1: the index table alone, in memory (footer, block handles, CRCs,
//     snappy, prefix-compressed keys) and every BundleEntryProto in it;
//  2: a V1 checkpoint (SavedTensorSlices in the same table format).
// No crash, leak or out-of-bounds read; errors name the file.
#include <cstddef>
#include <cstdint>

#include "detlite/tf/tensor_bundle.pb.h"
#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"
#include "importers/tf/checkpoint_v1.h"
#include "importers/tf/sstable.h"
#include "importers/tf/tensor_bundle.h"

namespace {

constexpr const char* kTarget = "tf_bundle_fuzzer";

void FuzzBundle(const uint8_t* data, size_t size) {
  const auto parts = detlite::fuzz::SplitParts(data, size, 2);
  const std::string prefix = detlite::fuzz::ScratchDir() + "/bundle";
  detlite::fuzz::WriteScratchFile(prefix + ".index", parts[0]);
  detlite::fuzz::WriteScratchFile(prefix + ".data-00000-of-00001", parts[1]);
  auto bundle = detlite::tf_import::TensorBundle::Open(prefix);
  detlite::fuzz::CheckNamed(bundle.status(), prefix, kTarget);
  if (!bundle.ok()) return;
  for (const std::string& key : bundle->Keys()) {
    auto tensor = bundle->Read(key);
    detlite::fuzz::CheckNamed(tensor.status(), prefix, kTarget);
    (void)bundle->ReadScalarString(key);
  }
}

void FuzzTable(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto table = detlite::tf_import::ReadTable(bytes, "fuzz.index");
  detlite::fuzz::CheckNamed(table.status(), "fuzz.index", kTarget);
  if (table.ok()) {
    for (const auto& [key, value] : *table) {
      detlite::tf::BundleEntryProto e;
      (void)e.ParseFromString(value);
    }
  }
  (void)detlite::tf_import::SnappyUncompress(bytes, 1 << 20);
}

void FuzzCheckpointV1(const uint8_t* data, size_t size) {
  const std::string path = detlite::fuzz::ScratchDir() + "/model.ckpt-0";
  detlite::fuzz::WriteScratchFile(path,
                                  std::string_view(reinterpret_cast<const char*>(data), size));
  detlite::fuzz::CheckNamed(detlite::tf_import::ReadCheckpointV1(path).status(), path, kTarget);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 3) {
    case 0: FuzzBundle(data + 1, size - 1); break;
    case 1: FuzzTable(data + 1, size - 1); break;
    default: FuzzCheckpointV1(data + 1, size - 1);
  }
  return 0;
}
