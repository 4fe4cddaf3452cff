#include "importers/tflite/tflite_reader.h"

#include <cstdint>

#include "core/appended_zip.h"
#include "core/file_io.h"
#include "importers/tflite/read_parts.h"

namespace detlite {
namespace tflite_import {
namespace {

StatusOr<ir::Subgraph> ReadSubgraph(ReadContext& ctx, const fb::SubGraph& sg,
                                    const std::string& prefix,
                                    const std::vector<OpCodeInfo>& codes,
                                    bool ranks_explicit) {
  ir::Subgraph out;
  out.name = ToString(sg.name());
  const auto* tensors = sg.tensors();
  const size_t n = tensors ? tensors->size() : 0;
  // Tensor indices are int32 everywhere else in the format.
  if (n > static_cast<size_t>(INT32_MAX)) {
    return ctx.Corrupt(prefix + "has too many tensors");
  }
  const auto num_tensors = static_cast<int32_t>(n);
  out.tensors.reserve(n);
  for (int32_t i = 0; i < num_tensors; ++i) {
    const fb::Tensor* t = tensors->Get(static_cast<flatbuffers::uoffset_t>(i));
    ASSIGN_OR_RETURN(ir::Tensor tensor,
                     ReadTensor(ctx, *t, prefix + TensorLabel(i, t),
                                ranks_explicit));
    out.tensors.push_back(std::move(tensor));
  }
  auto read_io = [&](const flatbuffers::Vector<int32_t>* v, const char* what,
                     std::vector<int32_t>* dst) -> Status {
    *dst = ToVector<int32_t>(v);
    for (int32_t i : *dst) {
      if (i < 0 || i >= num_tensors) {
        return ctx.Corrupt(prefix + what + " refers to tensor " +
                           std::to_string(i) + ", but there are " +
                           std::to_string(num_tensors) + " tensors");
      }
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(read_io(sg.inputs(), "subgraph input", &out.inputs));
  RETURN_IF_ERROR(read_io(sg.outputs(), "subgraph output", &out.outputs));
  if (const auto* ops = sg.operators()) {
    out.ops.reserve(ops->size());
    for (flatbuffers::uoffset_t i = 0; i < ops->size(); ++i) {
      ASSIGN_OR_RETURN(ir::Operator op,
                       ReadOperator(ctx, *ops->Get(i), codes, num_tensors,
                                    prefix + "operator " + std::to_string(i)));
      out.ops.push_back(std::move(op));
    }
  }
  return out;
}

// Whether the file's writer knew the has_rank field (see ReadTensor).
bool RanksExplicit(const fb::Model& m) {
  for (const fb::SubGraph* sg : *m.subgraphs()) {
    if (sg->tensors() == nullptr) continue;
    for (const fb::Tensor* t : *sg->tensors()) {
      if (t->has_rank()) return true;
    }
  }
  return false;
}

Status ReadMetadata(ReadContext& ctx, ir::Model* out) {
  const fb::Model& m = ctx.model();
  if (const auto* md = m.metadata()) {
    for (flatbuffers::uoffset_t i = 0; i < md->size(); ++i) {
      const fb::Metadata* e = md->Get(i);
      ir::Metadata entry;
      entry.name = ToString(e->name());
      ASSIGN_OR_RETURN(ir::ConstBytes bytes,
                       ctx.Buffer(e->buffer(), "metadata '" + entry.name + "'"));
      if (bytes) entry.data = *bytes;
      out->metadata.push_back(std::move(entry));
    }
  }
  if (const auto* mb = m.metadata_buffer()) {
    for (int32_t index : *mb) {
      const std::string who = "metadata_buffer entry " + std::to_string(index);
      if (index < 0) return ctx.Corrupt(who + " is negative");
      ASSIGN_OR_RETURN(ir::ConstBytes bytes,
                       ctx.Buffer(static_cast<uint32_t>(index), who));
      out->unnamed_metadata.push_back(bytes ? *bytes : ir::Bytes());
    }
  }
  return Status::Ok();
}

Status ReadSignatures(const ReadContext& ctx, ir::Model* out) {
  const auto* sigs = ctx.model().signature_defs();
  if (sigs == nullptr) return Status::Ok();
  for (const fb::SignatureDef* s : *sigs) {
    ir::SignatureDef sig;
    sig.key = ToString(s->signature_key());
    const std::string who = "signature '" + sig.key + "'";
    if (s->subgraph_index() >= out->subgraphs.size()) {
      return ctx.Corrupt(who + " refers to subgraph " +
                         std::to_string(s->subgraph_index()) + " of " +
                         std::to_string(out->subgraphs.size()));
    }
    sig.subgraph_index = static_cast<int32_t>(s->subgraph_index());
    const size_t n = out->subgraphs[s->subgraph_index()].tensors.size();
    auto read_maps = [&](const auto* maps,
                         std::vector<ir::SignatureTensor>* dst) -> Status {
      if (maps == nullptr) return Status::Ok();
      for (const fb::TensorMap* tm : *maps) {
        if (tm->tensor_index() >= n) {
          return ctx.Corrupt(who + " names tensor " +
                             std::to_string(tm->tensor_index()) + " of " +
                             std::to_string(n));
        }
        dst->push_back({ToString(tm->name()),
                        static_cast<int32_t>(tm->tensor_index())});
      }
      return Status::Ok();
    };
    RETURN_IF_ERROR(read_maps(s->inputs(), &sig.inputs));
    RETURN_IF_ERROR(read_maps(s->outputs(), &sig.outputs));
    out->signatures.push_back(std::move(sig));
  }
  return Status::Ok();
}

}  // namespace
}  // namespace tflite_import

StatusOr<ir::Model> ReadTfliteBuffer(const uint8_t* data, size_t size,
                                     const std::string& name_for_errors) {
  // The verifier checks scalar alignment against real addresses, so the
  // bytes must start on a 16-byte boundary (the format's largest alignment).
  std::vector<uint8_t> aligned;
  if (reinterpret_cast<uintptr_t>(data) % 16 != 0) {
    aligned.assign(data, data + size);
    data = aligned.data();
  }
  tflite_import::ReadContext ctx(data, size, name_for_errors);
  RETURN_IF_ERROR(ctx.Open());
  const fb::Model& m = ctx.model();
  if (m.subgraphs() == nullptr || m.subgraphs()->size() == 0) {
    return ctx.Corrupt("model has no subgraphs");
  }
  ir::Model out;
  out.version = m.version();
  out.description = tflite_import::ToString(m.description());
  ASSIGN_OR_RETURN(std::vector<tflite_import::OpCodeInfo> codes,
                   tflite_import::ReadOperatorCodes(ctx));
  const bool ranks_explicit = tflite_import::RanksExplicit(m);
  for (flatbuffers::uoffset_t s = 0; s < m.subgraphs()->size(); ++s) {
    const std::string prefix = s == 0 ? "" : "subgraph " + std::to_string(s) + " ";
    ASSIGN_OR_RETURN(ir::Subgraph sg,
                     tflite_import::ReadSubgraph(ctx, *m.subgraphs()->Get(s),
                                                 prefix, codes, ranks_explicit));
    out.subgraphs.push_back(std::move(sg));
  }
  RETURN_IF_ERROR(tflite_import::ReadMetadata(ctx, &out));
  RETURN_IF_ERROR(tflite_import::ReadSignatures(ctx, &out));
  out.unsupported_features = ctx.TakeUnsupported();
  // TFLite's metadata writer appends associated files (label maps) as a zip.
  if (auto start = zip::FindAppendedZip(data, size); start && *start >= 8) {
    std::vector<uint8_t> archive(data + *start, data + size);
    if (auto moved = zip::Relocate(archive, *start, 0)) out.associated_files = std::move(*moved);
  }
  return out;
}

StatusOr<ir::Model> ReadTfliteFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return ReadTfliteBuffer(bytes.data(), bytes.size(), path);
}

}  // namespace detlite
