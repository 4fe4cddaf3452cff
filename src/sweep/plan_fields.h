// Reading one JSON object of a sweep plan field by field: every error names
// the plan file and the JSON path of the field ("/models/0/path"), unknown
// keys are refused, and each typed getter checks type and range.
#ifndef DETLITE_SWEEP_PLAN_FIELDS_H_
#define DETLITE_SWEEP_PLAN_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite::sweep {

class PlanFields {
 public:
  // `where` is the JSON path of `object` ("" for the root).
  PlanFields(const std::string& file, std::string where, const nlohmann::json& object)
      : file_(file), where_(std::move(where)), j_(object) {}

  // The object itself must be an object whose keys are all in `known`.
  Status CheckKeys(std::initializer_list<const char*> known) const;
  bool Has(const char* key) const { return j_.is_object() && j_.contains(key); }
  const nlohmann::json& At(const char* key) const { return j_.at(key); }
  std::string Path(const std::string& key) const { return where_ + "/" + key; }
  Status Error(const std::string& key, const std::string& problem) const;

  // Each leaves *out unchanged when the key is absent (and `required` is false).
  Status String(const char* key, std::string* out, bool required = false) const;
  Status Int(const char* key, int64_t lo, int64_t hi, int64_t* out) const;
  Status Int(const char* key, int lo, int hi, int* out) const;
  Status Number(const char* key, double lo, double hi, double* out) const;
  Status Bool(const char* key, bool* out) const;
  // A name from a settings table (detlite/settings.h).
  template <typename E>
  Status Setting(const char* key, E* out) const {
    std::string name;
    if (!Has(key)) return Status::Ok();
    RETURN_IF_ERROR(String(key, &name));
    if (!ParseSetting(name, out) || name.empty()) {
      return Error(key, "'" + name + "' is not one of " + SettingChoices<E>());
    }
    return Status::Ok();
  }
  // A file or directory that must exist, relative to the plan's folder:
  // *as_written keeps the plan's text, *resolved the path to open.
  Status ExistingPath(const char* key, const std::string& plan_dir, std::string* as_written,
                      std::string* resolved, bool required) const;

 private:
  const std::string& file_;
  std::string where_;
  const nlohmann::json& j_;
};

// "path/to" for "path/to/plan.json" ("." for a bare file name).
std::string PlanDirectory(const std::string& plan_path);
// `p` if absolute, else plan_dir/p.
std::string ResolveAgainst(const std::string& plan_dir, const std::string& p);

// 1-based line where the value at JSON `pointer` ("/models/0/path") starts in
// `text` (valid JSON), or of its nearest existing parent; 0 if none.
int LineOfPointer(const std::string& text, const std::string& pointer);

// 64-bit FNV-1a of `text` as 16 hex digits: stable on every machine.
std::string StableHash(const std::string& text);

}  // namespace detlite::sweep

#endif  // DETLITE_SWEEP_PLAN_FIELDS_H_
