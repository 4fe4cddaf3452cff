#include "sweep/plan_fields.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/stable_hash.h"

namespace detlite::sweep {

Status PlanFields::CheckKeys(std::initializer_list<const char*> known) const {
  if (!j_.is_object()) {
    return InvalidArgument(file_ + ": " + (where_.empty() ? "/" : where_) +
                           ": expected a JSON object");
  }
  for (const auto& [key, value] : j_.items()) {
    bool found = false;
    std::string names;
    for (const char* k : known) {
      found = found || key == k;
      names += (names.empty() ? "" : ", ") + std::string(k);
    }
    if (!found) return Error(key, "unknown key (known here: " + names + ")");
  }
  return Status::Ok();
}

Status PlanFields::Error(const std::string& key, const std::string& problem) const {
  return InvalidArgument(file_ + ": " + Path(key) + ": " + problem);
}

Status PlanFields::String(const char* key, std::string* out, bool required) const {
  if (!Has(key)) return required ? Error(key, "required") : Status::Ok();
  const auto& v = j_.at(key);
  if (!v.is_string()) return Error(key, "expected a string");
  *out = v.get<std::string>();
  if (out->empty()) return Error(key, "empty string");
  return Status::Ok();
}

Status PlanFields::Int(const char* key, int64_t lo, int64_t hi, int64_t* out) const {
  if (!Has(key)) return Status::Ok();
  const auto& v = j_.at(key);
  if (!v.is_number_integer()) return Error(key, "expected an integer");
  const int64_t x = v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX
                        ? INT64_MAX
                        : v.get<int64_t>();
  if (x < lo || x > hi) {
    return Error(key, std::to_string(x) + " is outside [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
  }
  *out = x;
  return Status::Ok();
}

Status PlanFields::Int(const char* key, int lo, int hi, int* out) const {
  int64_t x = *out;
  RETURN_IF_ERROR(Int(key, int64_t{lo}, int64_t{hi}, &x));
  *out = static_cast<int>(x);
  return Status::Ok();
}

Status PlanFields::Number(const char* key, double lo, double hi, double* out) const {
  if (!Has(key)) return Status::Ok();
  const auto& v = j_.at(key);
  if (!v.is_number()) return Error(key, "expected a number");
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "%g is outside [%g, %g]", x, lo, hi);
    return Error(key, buf);
  }
  *out = x;
  return Status::Ok();
}

Status PlanFields::Bool(const char* key, bool* out) const {
  if (!Has(key)) return Status::Ok();
  const auto& v = j_.at(key);
  if (!v.is_boolean()) return Error(key, "expected true or false");
  *out = v.get<bool>();
  return Status::Ok();
}

Status PlanFields::ExistingPath(const char* key, const std::string& plan_dir,
                                std::string* as_written, std::string* resolved,
                                bool required) const {
  RETURN_IF_ERROR(String(key, as_written, required));
  if (as_written->empty()) return Status::Ok();
  *resolved = ResolveAgainst(plan_dir, *as_written);
  std::error_code ec;
  if (!std::filesystem::exists(*resolved, ec)) {
    return Error(key, "no such file or directory '" + *resolved + "'");
  }
  return Status::Ok();
}

std::string PlanDirectory(const std::string& plan_path) {
  const std::filesystem::path dir = std::filesystem::path(plan_path).parent_path();
  return dir.empty() ? "." : dir.string();
}

std::string ResolveAgainst(const std::string& plan_dir, const std::string& p) {
  const std::filesystem::path path(p);
  if (path.is_absolute()) return p;
  return (std::filesystem::path(plan_dir) / path).lexically_normal().string();
}

std::string StableHash(const std::string& text) { return ::detlite::StableHash(text); }

}  // namespace detlite::sweep
