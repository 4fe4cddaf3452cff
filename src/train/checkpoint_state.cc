// The model fingerprint and the parameter records of a checkpoint.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/crc32c.h"
#include "train/checkpoint_state.h"

namespace detlite::train {
namespace {

std::vector<int64_t> Dims(const ir::Tensor& t) {
  return std::vector<int64_t>(t.shape.dims().begin(), t.shape.dims().end());
}

}  // namespace

std::string ModelFingerprint(const ir::Model& model) {
  uint32_t crc = 0;
  size_t ops = 0, tensors = 0;
  for (const ir::Subgraph& sg : model.subgraphs) {
    for (const ir::Tensor& t : sg.tensors) {
      crc = crc32c::Extend(crc, t.name.data(), t.name.size());
      const int32_t dtype = static_cast<int32_t>(t.dtype);
      crc = crc32c::Extend(crc, &dtype, sizeof(dtype));
      crc = crc32c::Extend(crc, t.shape.dims().data(), t.shape.dims().size() * sizeof(int32_t));
      if (t.data != nullptr) crc = crc32c::Extend(crc, t.data->data(), t.data->size());
    }
    for (const ir::Operator& op : sg.ops) {
      const int32_t kind = static_cast<int32_t>(op.kind);
      crc = crc32c::Extend(crc, &kind, sizeof(kind));
      crc = crc32c::Extend(crc, op.inputs.data(), op.inputs.size() * sizeof(int32_t));
      crc = crc32c::Extend(crc, op.outputs.data(), op.outputs.size() * sizeof(int32_t));
    }
    ops += sg.ops.size();
    tensors += sg.tensors.size();
  }
  char buf[96];
  std::snprintf(buf, sizeof(buf), "crc32c %08x, %zu ops, %zu tensors", crc, ops, tensors);
  return buf;
}

void AddParameters(const ir::Subgraph& sg, const std::vector<int32_t>& params,
                   const Optimizer& optimizer, const ZeroMasks& masks, Checkpoint* c) {
  for (int32_t p : params) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(p)];
    c->AddF32("param/" + std::to_string(p), Dims(t), reinterpret_cast<const float*>(t.data->data()),
              t.data->size() / sizeof(float));
  }
  c->AddI64("opt/steps", {optimizer.steps()});
  for (const auto& [p, s] : optimizer.slots()) {
    const std::string id = std::to_string(p);
    c->AddF32("opt/m/" + id, {static_cast<int64_t>(s.m.size())}, s.m.data(), s.m.size());
    if (!s.v.empty()) c->AddF32("opt/v/" + id, {static_cast<int64_t>(s.v.size())}, s.v.data(), s.v.size());
  }
  for (const auto& [p, m] : masks) {
    std::vector<uint8_t> bits(m.size());
    for (size_t k = 0; k < m.size(); ++k) bits[k] = m[k] ? 1 : 0;
    c->AddU8("mask/" + std::to_string(p), bits);
  }
}

Status RestoreParameters(const Checkpoint& c, const std::vector<int32_t>& params,
                         Optimizer* optimizer, ZeroMasks* masks, ir::Subgraph* sg) {
  for (int32_t p : params) {
    ir::Tensor& t = sg->tensors[static_cast<size_t>(p)];
    const std::string name = "param/" + std::to_string(p);
    const int64_t n = t.shape.NumElements();
    ASSIGN_OR_RETURN(std::vector<float> v, c.F32(name, n));
    if (c.Find(name)->shape != Dims(t)) {
      return DataLoss(c.path() + ": record '" + name + "' has another shape than tensor " + t.name);
    }
    auto bytes = std::make_shared<ir::Bytes>(v.size() * sizeof(float));
    if (!v.empty()) std::memcpy(bytes->data(), v.data(), bytes->size());
    t.data = bytes;
  }
  std::map<int32_t, Optimizer::Slots> slots;
  for (int32_t p : params) {
    const std::string id = std::to_string(p);
    if (!c.Has("opt/m/" + id)) continue;  // no gradient reached it yet
    const int64_t n = sg->tensors[static_cast<size_t>(p)].shape.NumElements();
    Optimizer::Slots& s = slots[p];
    ASSIGN_OR_RETURN(s.m, c.F32("opt/m/" + id, n));
    if (c.Has("opt/v/" + id)) {
      ASSIGN_OR_RETURN(s.v, c.F32("opt/v/" + id, n));
    }
  }
  ASSIGN_OR_RETURN(int64_t steps, c.Int("opt/steps"));
  optimizer->Restore(steps, std::move(slots));
  for (auto& [p, m] : *masks) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> bits, c.U8("mask/" + std::to_string(p), static_cast<int64_t>(m.size())));
    for (size_t k = 0; k < m.size(); ++k) m[k] = bits[k] != 0;
  }
  return Status::Ok();
}

bool ParametersFinite(const ir::Subgraph& sg, const std::vector<int32_t>& params, std::string* which) {
  for (int32_t p : params) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(p)];
    const size_t n = t.data->size() / sizeof(float);
    std::vector<float> v(n);
    if (n > 0) std::memcpy(v.data(), t.data->data(), n * sizeof(float));
    for (float x : v) {
      if (!std::isfinite(x)) {
        *which = t.name;
        return false;
      }
    }
  }
  return true;
}

}  // namespace detlite::train
