// Issue 11 row 9: a .tflite whose op reads its own output (the real
// half_plus_two model with its ADD rewired onto its own result) is refused
// with one line naming the file and the op, not a kernel's dtype complaint.
#include <gtest/gtest.h>

#include "detlite/inputs.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

TEST(GraphCycleCliTest, AnOpReadingItsOwnOutputIsRefused) {
  auto model = ReadTfliteFile(testing::DataPath("tflite/half_plus_two.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto& ops = model->subgraphs.at(0).ops;
  ASSERT_EQ(ops.size(), 2u);
  ops[1].inputs[0] = ops[1].outputs[0];
  const std::string path = testing::TempDir() + "/cycle.tflite";
  ASSERT_TRUE(WriteTfliteFile(*model, path).ok());
  const std::string input = testing::TempDir() + "/x.npy";
  HostTensor x;
  x.info.dtype = "float32";
  x.info.shape = {1, 1};
  x.bytes.assign(4, 0);
  ASSERT_TRUE(WriteNpy(input, x).ok());
  auto r = testing::RunProcess({testing::CliPath(), "run", path, "-i", input});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1) << r->err;
  EXPECT_NE(r->err.find("cycle.tflite: subgraph 0 op 1 reads its own output"), std::string::npos)
      << r->err;
}

}  // namespace
}  // namespace detlite
