// Inputs the fuzz targets (tests/fuzz) found in the data readers, each now
// handled: refused with an error naming the file, or read correctly.
#include <gtest/gtest.h>

#include <string>

#include "core/file_io.h"
#include "data/datasets/label_map.h"
#include "data/npy.h"

namespace detlite {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(DETLITE_SOURCE_DIR) + "/tests/data/fixtures/fuzz/" + name;
}

// label_map_fuzzer: a number past double's range made nlohmann::json throw
// out_of_range, which nothing caught (std::terminate).
TEST(DataFuzzRegression, JsonLabelMapWithAnOverflowingNumberIsRefused) {
  auto text = ReadFileText(Fixture("label_map_number_overflow.json"));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  ASSERT_NE(text->find("99999E999999999999999"), std::string::npos);
  auto map = datasets::ParseLabelMap(*text, "labels.json");
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().message(), "labels.json: not valid json: a number is out of range");
  // Recognised as json from its first character too.
  auto list = datasets::ParseLabelMap("[\"a\", 1E400]", "labels");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message().rfind("labels: ", 0), 0u) << list.status().message();
}

// npy_fuzzer: shape (5, 2, 2, 2, 2, 362222, 1022, 31220, 3622221, 0, 3, 3)
// holds 0 elements, and the reader took it, but Shape::NumElements said -1
// (the product overflowed before reaching the 0), so the array could not be
// written back.
TEST(DataFuzzRegression, NpyWithAZeroDimAfterHugeOnesHasZeroElements) {
  auto array = ReadNpyFile(Fixture("npy_zero_dim_overflow.npy"));
  ASSERT_TRUE(array.ok()) << array.status().ToString();
  EXPECT_EQ(array->shape.rank(), 12);
  EXPECT_EQ(array->shape.NumElements(), 0);
  EXPECT_TRUE(array->bytes.empty());
  auto bytes = SerializeNpy(*array);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto again = ParseNpy(bytes->data(), bytes->size(), "again.npy");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->shape, array->shape);
}

}  // namespace
}  // namespace detlite
