// The first TF.js converter format (0.x): tensorflowjs_model.pb (a binary
// GraphDef whose Consts lost their values) and weights_manifest.json beside
// the shards. Written here from the small y = x + w model; it must import
// from its directory or either file, and compute x + w.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "core/file_io.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "importers/tfjs/tfjs_reader.h"
#include "support/paths.h"
#include "tfjs_test_model.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::AddModel;

// The 0.x layout of AddModel() in a fresh directory.
std::string WriteLegacyModel(const std::string& name) {
  auto m = AddModel();
  auto parsed = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  tf::GraphDef g = parsed->graph;
  for (tf::NodeDef& n : *g.mutable_node()) {
    if (n.op() == "Const") n.mutable_attr()->at("value").mutable_tensor()->clear_tensor_content();
  }
  const fs::path dir = fs::path(testing::TempDir()) / name;
  fs::create_directories(dir);
  std::string pb;
  EXPECT_TRUE(g.SerializeToString(&pb));
  EXPECT_TRUE(WriteFileAtomic((dir / tfjs_import::kLegacyGraphName).string(), pb).ok());
  EXPECT_TRUE(WriteFileAtomic((dir / tfjs_import::kLegacyManifestName).string(),
                              m.json["weightsManifest"].dump())
                  .ok());
  for (const auto& [path, bytes] : m.shards) EXPECT_TRUE(WriteFileAtomic((dir / path).string(), bytes).ok());
  return dir.string();
}

TEST(TfjsLegacyFormat, ImportsFromTheDirectoryOrEitherFile) {
  const std::string dir = WriteLegacyModel("legacy_add");
  for (const std::string& path : {dir, dir + "/tensorflowjs_model.pb", dir + "/weights_manifest.json"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(tfjs_import::TfjsModelJsonPath(path), dir + "/weights_manifest.json");
    ImportReport report;
    ImportOptions o;
    o.outputs = {"y"};
    auto m = ImportModel(path, o, &report);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(report.format, "tfjs_graph_model");
    auto runner = Runner::Create(*m);
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    const float x[4] = {10, 20, 30, 40};
    std::vector<uint8_t> in(16);
    std::memcpy(in.data(), x, 16);
    ASSERT_TRUE(runner->SetInput(0, in).ok());
    ASSERT_TRUE(runner->Run().ok());
    EXPECT_EQ(runner->Output(0).ToFloat(), (std::vector<float>{11, 18, 30.5f, 48}));
  }
}

TEST(TfjsLegacyFormat, BrokenGraphFileIsNamed) {
  const std::string dir = WriteLegacyModel("legacy_broken");
  ASSERT_TRUE(WriteFileAtomic(dir + "/tensorflowjs_model.pb", std::string("\xff\xff\xff", 3)).ok());
  auto r = tfjs_import::ReadTfjsModel(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("weights_manifest.json: tensorflowjs_model.pb beside it is not a valid GraphDef"),
            std::string::npos)
      << r.status().message();
  // A .pb with no manifest beside it stays a TensorFlow GraphDef.
  EXPECT_EQ(tfjs_import::TfjsModelJsonPath(testing::TempDir() + "/tensorflowjs_model.pb"), "");
}

}  // namespace
}  // namespace detlite
