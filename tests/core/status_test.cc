#include "detlite/status.h"

#include <gtest/gtest.h>

#include "core/shape.h"

namespace detlite {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Status Quarter(int x, int* out) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(*out, Half(h));
  return Status::Ok();
}

TEST(StatusTest, PropagatesFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: odd: 3");
  EXPECT_EQ(s.WithContext("f.tflite").message(), "f.tflite: odd: 3");
}

TEST(ShapeTest, NumElementsGuardsOverflowAndUnknown) {
  EXPECT_EQ(Shape({1, 300, 300, 3}).NumElements(), 270000);
  EXPECT_EQ(Shape({}).NumElements(), 1);
  EXPECT_EQ(Shape({2, -1}).NumElements(), -1);
  EXPECT_EQ(Shape({1 << 30, 1 << 30, 1 << 30}).NumElements(), -1);
  EXPECT_EQ(Shape({1, 2, 3}).ToString(), "[1,2,3]");
}

}  // namespace
}  // namespace detlite
