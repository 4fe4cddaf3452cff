#include "exporters/tflite/conversion_metadata.h"
#include "exporters/tflite/tflite_writer.h"

#include <algorithm>

#include "core/appended_zip.h"
#include "core/file_io.h"
#include "exporters/tflite/op_version.h"
#include "exporters/tflite/write_parts.h"

namespace detlite {
namespace tflite_export {
namespace {

// Above this much constant data the FlatBuffer (limit 2 GiB) could not hold
// it inline; TFLite's own converter switches to external buffers likewise.
constexpr uint64_t kMaxInlineDataBytes = (7ull << 30) / 4;  // 1.75 GiB

uint64_t AlignTo16(uint64_t n) { return (n + 15) & ~uint64_t{15}; }

StatusOr<Offset<fb::Operator>> WriteOperator(Builder& b, const ir::Subgraph& sg,
                                             const ir::Operator& op,
                                             OpCodeTable& codes,
                                             const std::string& who) {
  const bool custom = op.kind == ir::OpKind::kCustom;
  // Custom ops version themselves; builtins need at least what TFLite's
  // rules give for their types, and keep a higher recorded version.
  const int32_t version =
      custom ? op.version : std::max(op.version, RequiredOpVersion(sg, op));
  const uint32_t code_index = codes.Index(static_cast<int32_t>(op.kind),
                                          custom ? op.custom_code : "", version);
  ASSIGN_OR_RETURN(auto options, WriteBuiltinOptions(b, op, who));
  auto inputs = b.CreateVector(op.inputs);
  auto outputs = b.CreateVector(op.outputs);
  auto custom_options =
      op.custom_options.empty() ? 0 : b.CreateVector(op.custom_options);
  auto intermediates =
      op.intermediates.empty() ? 0 : b.CreateVector(op.intermediates);
  return fb::CreateOperator(b, code_index, inputs, outputs, options.first,
                            options.second, custom_options,
                            fb::CustomOptionsFormat::FLEXBUFFERS,
                            /*mutating_variable_inputs=*/0, intermediates);
}

StatusOr<Offset<fb::SubGraph>> WriteSubgraph(Builder& b, const ir::Subgraph& sg,
                                             const std::string& where,
                                             BufferTable& buffers,
                                             OpCodeTable& codes) {
  std::vector<Offset<fb::Tensor>> tensors;
  tensors.reserve(sg.tensors.size());
  for (const ir::Tensor& t : sg.tensors) {
    const uint32_t buffer = t.data ? buffers.Add(*t.data) : 0;
    tensors.push_back(WriteTensor(b, t, buffer));
  }
  std::vector<Offset<fb::Operator>> ops;
  ops.reserve(sg.ops.size());
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const std::string who = where + "op " + std::to_string(k) + " (" +
                            std::string(ir::OpKindName(sg.ops[k].kind)) + ")";
    ASSIGN_OR_RETURN(auto op, WriteOperator(b, sg, sg.ops[k], codes, who));
    ops.push_back(op);
  }
  auto t = b.CreateVector(tensors);
  auto in = b.CreateVector(sg.inputs);
  auto out = b.CreateVector(sg.outputs);
  auto o = b.CreateVector(ops);
  auto name = sg.name.empty() ? 0 : b.CreateString(sg.name);
  return fb::CreateSubGraph(b, t, in, out, o, name);
}

Offset<fb::SignatureDef> WriteSignature(Builder& b, const ir::SignatureDef& s) {
  auto maps = [&b](const std::vector<ir::SignatureTensor>& list) {
    std::vector<Offset<fb::TensorMap>> v;
    for (const auto& st : list) {
      v.push_back(fb::CreateTensorMap(b, b.CreateString(st.name),
                                      static_cast<uint32_t>(st.tensor_index)));
    }
    return b.CreateVector(v);
  };
  auto inputs = maps(s.inputs);
  auto outputs = maps(s.outputs);
  return fb::CreateSignatureDef(b, inputs, outputs, b.CreateString(s.key),
                                static_cast<uint32_t>(s.subgraph_index));
}

uint64_t DataBytes(const ir::Model& model) {
  uint64_t n = 0;
  for (const auto& sg : model.subgraphs) {
    for (const auto& t : sg.tensors) n += t.data ? t.data->size() : 0;
  }
  for (const auto& m : model.metadata) n += m.data.size();
  for (const auto& m : model.unnamed_metadata) n += m.size();
  return n;
}

// Appends the blobs after the FlatBuffer, 16-byte aligned, and points each
// Buffer table (written with placeholder offset 1) at its blob.
void AppendExternal(const BufferTable& buffers, std::vector<uint8_t>* file) {
  std::vector<uint64_t> offsets;
  uint64_t at = AlignTo16(file->size());
  for (const ir::Bytes* blob : buffers.blobs()) {
    offsets.push_back(at);
    at = AlignTo16(at + blob->size());
  }
  // Patch first: appending may move the vector's storage.
  const fb::Model* m = fb::GetModel(file->data());
  for (size_t i = 0; i < offsets.size(); ++i) {
    const fb::Buffer* buf = m->buffers()->Get(static_cast<flatbuffers::uoffset_t>(i + 1));
    // Buffer is a Table underneath; its offset field exists (value 1), so
    // SetField rewrites it in place without changing the layout.
    auto* table = reinterpret_cast<flatbuffers::Table*>(const_cast<fb::Buffer*>(buf));
    table->SetField<uint64_t>(fb::Buffer::VT_OFFSET, offsets[i], 0);
  }
  file->reserve(at);
  for (size_t i = 0; i < offsets.size(); ++i) {
    file->resize(offsets[i], 0);
    file->insert(file->end(), buffers.blobs()[i]->begin(), buffers.blobs()[i]->end());
  }
}

}  // namespace
}  // namespace tflite_export

StatusOr<std::vector<uint8_t>> WriteTfliteBuffer(const ir::Model& model,
                                                 const TfliteWriteOptions& options) {
  namespace te = tflite_export;
  Status valid = te::ValidateForWrite(model);
  if (!valid.ok()) return valid.WithContext("cannot write TFLite model");
  const uint64_t data_bytes = te::DataBytes(model);
  const bool external =
      options.external_buffers || data_bytes > te::kMaxInlineDataBytes;
  te::Builder b(external ? 1 << 20 : static_cast<size_t>(data_bytes) + (1 << 20));
  te::BufferTable buffers;
  te::OpCodeTable codes;
  std::vector<te::Offset<fb::SubGraph>> subgraphs;
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    const std::string where = s == 0 ? "" : "subgraph " + std::to_string(s) + " ";
    auto sg = te::WriteSubgraph(b, model.subgraphs[s], where, buffers, codes);
    if (!sg.ok()) return sg.status().WithContext("cannot write TFLite model");
    subgraphs.push_back(*sg);
  }
  std::vector<te::Offset<fb::Metadata>> metadata;
  const std::vector<ir::Metadata> metadata_entries = te::MetadataToWrite(model);
  for (const ir::Metadata& m : metadata_entries) {
    metadata.push_back(fb::CreateMetadata(b, b.CreateString(m.name), buffers.Add(m.data)));
  }
  std::vector<int32_t> unnamed;
  for (const ir::Bytes& m : model.unnamed_metadata) {
    unnamed.push_back(static_cast<int32_t>(buffers.Add(m)));
  }
  std::vector<te::Offset<fb::SignatureDef>> signatures;
  for (const ir::SignatureDef& s : model.signatures) signatures.push_back(te::WriteSignature(b, s));

  auto codes_vec = codes.Build(b);
  auto subgraphs_vec = b.CreateVector(subgraphs);
  auto description = model.description.empty() ? 0 : b.CreateString(model.description);
  auto buffers_vec = buffers.Build(b, external);
  auto unnamed_vec = unnamed.empty() ? 0 : b.CreateVector(unnamed);
  auto metadata_vec = metadata.empty() ? 0 : b.CreateVector(metadata);
  auto signatures_vec = signatures.empty() ? 0 : b.CreateVector(signatures);
  auto root = fb::CreateModel(b, model.version, codes_vec, subgraphs_vec, description,
                              buffers_vec, unnamed_vec, metadata_vec, signatures_vec);
  fb::FinishModelBuffer(b, root);
  std::vector<uint8_t> file(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  if (external) te::AppendExternal(buffers, &file);
  if (!model.associated_files.empty()) {
    // Put back the associated-files zip, its offsets moved to where it now
    // starts (TFLite's metadata readers locate files by those offsets).
    auto moved = zip::Relocate(model.associated_files, 0, file.size());
    if (!moved) return InvalidArgument("cannot write TFLite model: its associated files are not a valid zip");
    file.insert(file.end(), moved->begin(), moved->end());
  }
  return file;
}

Status WriteTfliteFile(const ir::Model& model, const std::string& path,
                       const TfliteWriteOptions& options) {
  auto bytes = WriteTfliteBuffer(model, options);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return WriteFileAtomic(path, *bytes);
}

}  // namespace detlite
