// The streaming (SAX) reader of COCO results: the same entries and errors as
// a whole-tree parse, with other keys and nested values of any depth skipped
// and the entry index named in errors.
#include <gtest/gtest.h>

#include <string>

#include "eval/coco_json.h"

namespace detlite::eval {
namespace {

const std::string kEntry =
    R"({"image_id": 7, "category_id": 3, "bbox": [1, 2, 3, 4], "score": 0.25,
        "segmentation": {"counts": [[1, 2], {"x": [3]}], "size": [4, 5]}})";

TEST(CocoResultsStreamTest, SkipsOtherKeysAtAnyDepth) {
  const std::string text = R"({"info": {"annotations": [1, 2], "deep": [[[{}]]]},
      "annotations": [)" + kEntry + "," + kEntry + R"(], "licenses": [{"a": null}]})";
  auto r = ParseCocoResults(text, "r.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].image_id, 7);
  EXPECT_EQ((*r)[1].category_id, 3);
  EXPECT_EQ((*r)[1].bbox[2], 3.0);
  EXPECT_EQ((*r)[1].score, 0.25);
  auto empty = ParseCocoResults("[]", "r.json");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CocoResultsStreamTest, ErrorsNameTheFileAndTheEntry) {
  struct Case {
    std::string text, want;
  };
  const Case cases[] = {
      {"3", "r.json: top level is neither an array nor an object"},
      {R"({"info": {}})", "r.json: missing 'annotations'"},
      {R"({"annotations": 5})", "r.json: 'annotations' is not an array"},
      {R"({"annotations": {"a": 1}})", "r.json: 'annotations' is not an array"},
      {"[" + kEntry + ", 4]", "r.json: results[1]: not an object"},
      {"[" + kEntry + ", [1]]", "r.json: results[1]: not an object"},
      {R"([{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1], "score": 1}])",
       "r.json: results[0]: 'bbox' must be an array of 4 numbers"},
      {"[" + kEntry + ", {", "r.json: not valid JSON (at byte"},
      {"[" + kEntry + "] x", "r.json: not valid JSON (at byte"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseCocoResults(c.text, "r.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace detlite::eval
