// Inputs the fuzz targets (tests/fuzz) found, each now refused with an error
// naming the file. The files in fixtures/fuzz/ are the crashing inputs as
// the target wrote them to disk.
#include <gtest/gtest.h>

#include <string>

#include "importers/tf/graph_importer.h"
#include "importers/tf/tensor_bundle.h"
#include "tf_graph_builder.h"

namespace detlite {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(DETLITE_SOURCE_DIR) + "/tests/importers/fixtures/fuzz/" + name;
}

// tf_bundle_fuzzer: an entry whose dtype (33) detlite does not know; the
// error said "TensorFlow data type 33 is not supported" without the file.
TEST(TfFuzzRegression, BundleEntryOfUnknownDtypeNamesTheIndex) {
  auto bundle = tf_import::TensorBundle::Open(Fixture("bundle_unknown_dtype"));
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  ASSERT_EQ(bundle->Keys(), (std::vector<std::string>{"counter"}));
  auto t = bundle->Read("counter");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(t.status().message().find("bundle_unknown_dtype.index: 'counter'"), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find("data type 33"), std::string::npos);
}

// The same fault in the GraphDef importer: a Placeholder and a Const of an
// unknown dtype.
TEST(TfFuzzRegression, UnknownDtypeInAGraphNamesFileAndNode) {
  tf::GraphDef g;
  tf::NodeDef* p = testing::AddPlaceholder(g, "x", {1, 3});
  (*p->mutable_attr())["dtype"].set_type(33);
  testing::AddNode(g, "y", "Identity", {"x"});
  tf_import::GraphImportStats stats;
  auto m = tf_import::ImportGraphDef(g, "evil.pb", {}, tf_import::InitializerResolver(g, "evil.pb"),
                                     &stats);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("evil.pb: node 'x'"), std::string::npos)
      << m.status().message();

  tf::GraphDef c;
  tf::NodeDef* k = testing::AddNode(c, "k", "Const");
  (*k->mutable_attr())["dtype"].set_type(33);
  (*k->mutable_attr())["value"].mutable_tensor()->set_dtype(33);
  testing::AddNode(c, "y", "Identity", {"k"});
  auto m2 = tf_import::ImportGraphDef(c, "evil.pb", {},
                                      tf_import::InitializerResolver(c, "evil.pb"), &stats);
  ASSERT_FALSE(m2.ok());
  EXPECT_NE(m2.status().message().find("evil.pb: node 'k'"), std::string::npos)
      << m2.status().message();
}

}  // namespace
}  // namespace detlite
