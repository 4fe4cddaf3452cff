#include "importers/tf/checkpoint_v1.h"

#include "core/file_io.h"
#include "detlite/tf/tensor_bundle.pb.h"
#include "importers/tf/sstable.h"

namespace detlite::tf_import {

StatusOr<std::map<std::string, ConstTensor>> ReadCheckpointV1(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path, uint64_t{1} << 31));
  ASSIGN_OR_RETURN(auto table,
                   ReadTable(std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                              bytes.size()),
                             path));
  auto meta_it = table.find("");
  tf::SavedTensorSlices meta;
  if (meta_it == table.end() || !meta.ParseFromString(meta_it->second) || !meta.has_meta()) {
    return DataLoss(path + ": no checkpoint metadata (key \"\")");
  }
  std::map<std::string, const tf::SavedSliceMeta*> declared;
  for (const auto& t : meta.meta().tensor()) declared[t.name()] = &t;
  std::map<std::string, ConstTensor> out;
  for (const auto& [key, value] : table) {
    if (key.empty()) continue;
    tf::SavedTensorSlices s;
    if (!s.ParseFromString(value) || !s.has_data()) {
      return DataLoss(path + ": corrupt checkpoint record");
    }
    const std::string& name = s.data().name();
    auto d = declared.find(name);
    if (d == declared.end()) return DataLoss(path + ": slice of undeclared variable '" + name + "'");
    for (const auto& e : s.data().slice().extent()) {
      if (e.has_length_case() == tf::TensorSliceProto::Extent::kLength) {
        return Unimplemented(path + ": variable '" + name + "' is saved in partial slices");
      }
    }
    tf::TensorProto proto = s.data().data();
    proto.set_dtype(d->second->type());
    *proto.mutable_tensor_shape() = d->second->shape();
    ASSIGN_OR_RETURN(ConstTensor t, TensorFromProto(proto, path + ": variable '" + name + "'"));
    out[name] = std::move(t);
  }
  return out;
}

}  // namespace detlite::tf_import
