// A tensor shape: a list of dimension sizes. -1 marks an unknown dimension
// only in shape signatures; a runnable shape has every dimension >= 0.
#ifndef DETLITE_CORE_SHAPE_H_
#define DETLITE_CORE_SHAPE_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace detlite {

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int32_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<int32_t> dims) : dims_(std::move(dims)) {}

  int rank() const { return static_cast<int>(dims_.size()); }
  int32_t dim(int i) const { return dims_[static_cast<size_t>(i)]; }
  int32_t& dim(int i) { return dims_[static_cast<size_t>(i)]; }
  const std::vector<int32_t>& dims() const { return dims_; }
  std::vector<int32_t>& dims() { return dims_; }

  // Product of all dims (1 for a scalar); -1 if any dim is negative or the
  // product overflows int64.
  int64_t NumElements() const;
  // Product of dims in [begin, end).
  int64_t FlatSize(int begin, int end) const;
  bool IsFullyDefined() const;
  std::string ToString() const;  // "[1,300,300,3]"

  bool operator==(const Shape& o) const { return dims_ == o.dims_; }
  bool operator!=(const Shape& o) const { return dims_ != o.dims_; }

 private:
  std::vector<int32_t> dims_;
};

}  // namespace detlite

#endif  // DETLITE_CORE_SHAPE_H_
