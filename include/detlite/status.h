// Status and StatusOr: how every detlite API reports failure. No exceptions
// cross the API; a failed call returns a Status whose message names the file
// (where there is one) and the problem, ready to print as one line.
#ifndef DETLITE_STATUS_H_
#define DETLITE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace detlite {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller asked for something impossible
  kNotFound,         // a file, tensor or op that does not exist
  kDataLoss,         // a file is corrupt or truncated
  kUnimplemented,    // valid input that detlite does not support yet
  kFailedPrecondition,
  kOutOfRange,
  kInternal,  // a detlite bug
  kIo,        // the operating system refused a read or write
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "CODE: message", or "OK".
  std::string ToString() const;
  // Returns a copy with "context: " put before the message.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status DataLoss(std::string message);
Status Unimplemented(std::string message);
Status FailedPrecondition(std::string message);
Status OutOfRange(std::string message);
Status Internal(std::string message);
Status IoError(std::string message);

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) {  // NOLINT
    if (status_.ok()) status_ = Internal("StatusOr built from OK status");
  }
  StatusOr(Status&& status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Internal("StatusOr built from OK status");
  }
  StatusOr(const T& value) : value_(value) {}       // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status>>>
  StatusOr(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace detlite

#define DETLITE_CONCAT_INNER_(a, b) a##b
#define DETLITE_CONCAT_(a, b) DETLITE_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::detlite::Status detlite_status_ = (expr);       \
    if (!detlite_status_.ok()) return detlite_status_; \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(DETLITE_CONCAT_(detlite_statusor_, __LINE__), lhs, expr)

#endif  // DETLITE_STATUS_H_
