// Operator codes and operators: which op, which version, which tensors.
#include <algorithm>

#include "importers/tflite/read_parts.h"
#include "ir/op_kind.h"

namespace detlite::tflite_import {
namespace {

constexpr int32_t kCustomCode = static_cast<int32_t>(fb::BuiltinOperator::CUSTOM);

Status ReadIndices(const ReadContext& ctx,
                   const flatbuffers::Vector<int32_t>* v, bool allow_absent,
                   int32_t num_tensors, const std::string& what,
                   std::vector<int32_t>* out) {
  *out = ToVector<int32_t>(v);
  for (int32_t i : *out) {
    if ((i == -1 && allow_absent) || (i >= 0 && i < num_tensors)) continue;
    return ctx.Corrupt(what + " refers to tensor " + std::to_string(i) +
                       ", but the subgraph has " + std::to_string(num_tensors) +
                       " tensors");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<OpCodeInfo>> ReadOperatorCodes(const ReadContext& ctx) {
  std::vector<OpCodeInfo> out;
  const auto* codes = ctx.model().operator_codes();
  if (codes == nullptr) return out;
  for (flatbuffers::uoffset_t i = 0; i < codes->size(); ++i) {
    const fb::OperatorCode* oc = codes->Get(i);
    const std::string who = "operator code " + std::to_string(i);
    OpCodeInfo info;
    // Old files fill only the byte-wide field, new ones both; the larger is
    // the real code (the byte field tops out at 127).
    info.code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                  static_cast<int32_t>(oc->builtin_code()));
    if (info.code < 0) {
      return ctx.Corrupt(who + " has builtin code " + std::to_string(info.code));
    }
    info.version = oc->version();
    if (info.version < 1) {
      return ctx.Corrupt(who + " has version " + std::to_string(info.version));
    }
    info.custom_code = ToString(oc->custom_code());
    if (info.code == kCustomCode && info.custom_code.empty()) {
      return ctx.Corrupt(who + " is a custom op with no name");
    }
    out.push_back(std::move(info));
  }
  return out;
}

StatusOr<ir::Operator> ReadOperator(const ReadContext& ctx,
                                    const fb::Operator& op,
                                    const std::vector<OpCodeInfo>& codes,
                                    int32_t num_tensors,
                                    const std::string& where) {
  if (op.opcode_index() >= codes.size()) {
    return ctx.Corrupt(where + " uses operator code " +
                       std::to_string(op.opcode_index()) +
                       ", but the model has " + std::to_string(codes.size()));
  }
  const OpCodeInfo& code = codes[op.opcode_index()];
  ir::Operator out;
  out.kind = static_cast<ir::OpKind>(code.code);
  out.version = code.version;
  if (code.code == kCustomCode) out.custom_code = code.custom_code;
  const std::string who =
      where + " (" +
      (code.code == kCustomCode ? out.custom_code
                                : std::string(ir::OpKindName(out.kind))) +
      ")";
  RETURN_IF_ERROR(ReadIndices(ctx, op.inputs(), /*allow_absent=*/true,
                              num_tensors, who + " input", &out.inputs));
  RETURN_IF_ERROR(ReadIndices(ctx, op.outputs(), false, num_tensors,
                              who + " output", &out.outputs));
  RETURN_IF_ERROR(ReadIndices(ctx, op.intermediates(), false, num_tensors,
                              who + " intermediate", &out.intermediates));
  if (op.custom_options_format() != fb::CustomOptionsFormat::FLEXBUFFERS) {
    return ctx.Corrupt(who + " has unknown custom_options_format " +
                       std::to_string(static_cast<int>(op.custom_options_format())));
  }
  if (op.large_custom_options_offset() > 1) {
    // Files over 2 GB keep custom options after the FlatBuffer.
    ASSIGN_OR_RETURN(out.custom_options,
                     ctx.FileRange(op.large_custom_options_offset(),
                                   op.large_custom_options_size(),
                                   who + " custom options"));
  } else {
    out.custom_options = ToVector<uint8_t>(op.custom_options());
  }
  RETURN_IF_ERROR(ReadBuiltinOptions(ctx, op, code.code, who, &out));
  if (op.builtin_options_2_type() != fb::BuiltinOptions2::NONE) {
    if (op.builtin_options_2_type() > fb::BuiltinOptions2::MAX) {
      return ctx.Corrupt(who + " has unknown builtin_options_2 type " +
                         std::to_string(static_cast<int>(op.builtin_options_2_type())));
    }
    out.options_unsupported = true;
  }
  return out;
}

}  // namespace detlite::tflite_import
