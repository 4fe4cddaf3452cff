// A TensorFlow tensor bundle (checkpoint V2): "<prefix>.index", a table
// (sstable.h) whose "" key holds a BundleHeaderProto and whose other keys
// (variable names / checkpoint keys) hold BundleEntryProto records pointing
// into the data shards "<prefix>.data-0000N-of-0000M" (shard_id, offset,
// size, masked CRC-32C of the bytes). Numeric tensors are stored raw little
// endian; a string tensor is its varint64 lengths, a 4-byte checksum of
// those, then the bytes.
#ifndef DETLITE_IMPORTERS_TF_TENSOR_BUNDLE_H_
#define DETLITE_IMPORTERS_TF_TENSOR_BUNDLE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/tensor_bundle.pb.h"
#include "importers/tf/tf_tensor.h"

namespace detlite::tf_import {

class TensorBundle {
 public:
  // `prefix` e.g. "dir/variables/variables".
  static StatusOr<TensorBundle> Open(const std::string& prefix);

  bool Contains(const std::string& key) const { return entries_.count(key) > 0; }
  std::vector<std::string> Keys() const;
  StatusOr<ConstTensor> Read(const std::string& key) const;
  // The one string of a scalar string tensor (e.g. the TF2 object graph).
  StatusOr<std::string> ReadScalarString(const std::string& key) const;
  const std::string& index_path() const { return index_path_; }

 private:
  StatusOr<std::string> ReadBytes(const std::string& key, const tf::BundleEntryProto** entry) const;

  std::string prefix_, index_path_;
  int num_shards_ = 1;
  std::map<std::string, tf::BundleEntryProto> entries_;
  // Shard contents, read on first use.
  std::shared_ptr<std::map<int, std::vector<uint8_t>>> shards_;
};

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_TENSOR_BUNDLE_H_
