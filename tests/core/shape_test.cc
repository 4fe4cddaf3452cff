// Shape element counts: unknown dims, overflow, and zero dims.
#include <gtest/gtest.h>

#include <climits>

#include "core/shape.h"

namespace detlite {
namespace {

TEST(ShapeTest, NumElementsCountsZeroDimsBeforeOverflow) {
  EXPECT_EQ(Shape({2, 3, 4}).NumElements(), 24);
  EXPECT_EQ(Shape({}).NumElements(), 1);
  EXPECT_EQ(Shape({2, -1}).NumElements(), -1);
  EXPECT_EQ(Shape({INT_MAX, INT_MAX, INT_MAX}).NumElements(), -1);  // overflows int64
  EXPECT_EQ(Shape({INT_MAX, INT_MAX, INT_MAX, 0}).NumElements(), 0);
  EXPECT_EQ(Shape({0, INT_MAX, INT_MAX, INT_MAX}).NumElements(), 0);
  EXPECT_EQ(Shape({INT_MAX, INT_MAX, INT_MAX, 0, -1}).NumElements(), -1);
  EXPECT_EQ(Shape({4, 0, 5}).FlatSize(2, 3), 5);
}

}  // namespace
}  // namespace detlite
