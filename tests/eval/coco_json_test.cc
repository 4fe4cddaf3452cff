#include "eval/coco_json.h"

#include <gtest/gtest.h>

#include <string>

#include "support/paths.h"

namespace detlite::eval {
namespace {

constexpr char kGood[] = R"({"images": [{"id": 1}],
  "categories": [{"id": 3, "name": "cat"}],
  "annotations": [{"id": 5, "image_id": 1, "category_id": 3,
                   "bbox": [1, 2, 3, 4], "area": 12, "iscrowd": 0}]})";

TEST(CocoJsonTest, ReadsGroundTruth) {
  auto ds = ParseCocoGroundTruth(kGood, "gt.json");
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->annotations.size(), 1u);
  EXPECT_EQ(ds->annotations[0].bbox[3], 4.0);
  EXPECT_EQ(ds->categories[0].name, "cat");
}

TEST(CocoJsonTest, ReadsResultsAsArrayOrObject) {
  const char* entry =
      R"({"image_id": 1, "category_id": 3, "bbox": [0, 0, 1, 1], "score": 0.5})";
  auto a = ParseCocoResults(std::string("[") + entry + "]", "r.json");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->size(), 1u);
  auto o = ParseCocoResults(std::string(R"({"annotations": [)") + entry + "]}",
                            "r.json");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ((*o)[0].score, 0.5);
}

void ExpectGtError(const std::string& json, const std::string& needle) {
  auto ds = ParseCocoGroundTruth(json, "gt.json");
  ASSERT_FALSE(ds.ok()) << json;
  EXPECT_EQ(ds.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(ds.status().message().find("gt.json"), std::string::npos);
  EXPECT_NE(ds.status().message().find(needle), std::string::npos)
      << ds.status().message();
}

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(CocoJsonTest, MalformedGroundTruthNamesFileAndEntry) {
  ExpectGtError("{\"images\": [", "not valid JSON");
  ExpectGtError("[1, 2]", "top level");
  ExpectGtError(Replace(kGood, R"("images")", R"("imgs")"), "'images'");
  ExpectGtError(Replace(kGood, R"([{"id": 1}])", R"({"id": 1})"),
                "'images' is not an array");
  ExpectGtError(Replace(kGood, R"({"id": 1})", R"({"id": "1"})"),
                "images[0]: 'id' must be an integer");
  ExpectGtError(Replace(kGood, R"("name": "cat")", R"("name": 4)"),
                "categories[0]: 'name'");
  ExpectGtError(Replace(kGood, "[1, 2, 3, 4]", "[1, 2, 3]"),
                "annotations[0]: 'bbox'");
  ExpectGtError(Replace(kGood, "[1, 2, 3, 4]", "[1, 2, -3, 4]"),
                "annotations[0]: 'bbox' has a negative");
  ExpectGtError(Replace(kGood, "[1, 2, 3, 4]", "[1, \"2\", 3, 4]"),
                "annotations[0]: 'bbox'");
  ExpectGtError(Replace(kGood, R"("area": 12)", R"("area": null)"),
                "annotations[0]: 'area'");
  ExpectGtError(Replace(kGood, R"(, "area": 12)", ""),
                "annotations[0]: missing 'area'");
  ExpectGtError(Replace(kGood, R"("iscrowd": 0)", R"("iscrowd": 2)"),
                "annotations[0]: 'iscrowd'");
  ExpectGtError(Replace(kGood, R"("image_id": 1)", R"("image_id": 1.5)"),
                "annotations[0]: 'image_id'");
  ExpectGtError(
      Replace(kGood, R"("image_id": 1)", R"("image_id": 18446744073709551615)"),
      "annotations[0]: 'image_id' is out of range");
}

TEST(CocoJsonTest, MalformedResultsNameFileAndEntry) {
  auto check = [](const std::string& json, const std::string& needle) {
    auto r = ParseCocoResults(json, "res.json");
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find("res.json: " + needle),
              std::string::npos)
        << r.status().message();
  };
  check("42", "top level");
  check("{}", "missing 'annotations'");
  check("[7]", "results[0]: not an object");
  check(R"([{"image_id": 1, "category_id": 3, "bbox": [0,0,1,1]}])",
        "results[0]: missing 'score'");
  check(R"([{"image_id": 1, "category_id": 3, "bbox": [0,0,1,1], "score": 1},
            {"image_id": 1, "category_id": 3, "bbox": 5, "score": 1}])",
        "results[1]: 'bbox'");
}

TEST(CocoJsonTest, MissingFileIsAnError) {
  auto ds = ReadCocoGroundTruth(testing::DataPath("coco-eval/no_such.json"));
  EXPECT_FALSE(ds.ok());
}

}  // namespace
}  // namespace detlite::eval
