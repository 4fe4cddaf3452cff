// `detlite convert --input-size HxW` as a user runs it: bad sizes refused in
// one line, the native size writes the same bytes as no flag (.tflite and
// TF.js), BlazeFace short range re-targeted to 192x192 with its post-
// processing added finds the faces in a real photo, and what cannot change
// size is refused with the op named.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_run.h"
#include "core/file_io.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

bool SameBytes(const std::string& a, const std::string& b) {
  auto x = ReadFileBytes(a);
  auto y = ReadFileBytes(b);
  return x.ok() && y.ok() && !x->empty() && *x == *y;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

TEST(InputSizeCli, BadSizesAreRefusedInOneLine) {
  const std::string in = DataPath("tflite/face_detection_short_range.tflite");
  for (const char* bad : {"0x5", "abc", "128x", "x128", "-1x8", "128x128x3", "99999x2"}) {
    SCOPED_TRACE(bad);
    auto r = Cli({"convert", in, "-o", TempDir() + "/bad.tflite", "--input-size", bad});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("--input-size"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(std::string("'") + bad + "'"), std::string::npos) << r.err;
  }
  auto both = Cli({"convert", DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco"), "-o",
                   TempDir() + "/bad.tflite", "--input-size", "320x320", "--input-shape",
                   "1,320,320,3"});
  EXPECT_NE(both.exit_code, 0);
  EXPECT_NE(both.err.find("--input-size or --input-shape, not both"), std::string::npos) << both.err;
}

TEST(InputSizeCli, NativeSizeWritesTheSameBytes) {
  for (const std::string& in : {DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite"),
                                DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco")}) {
    SCOPED_TRACE(in);
    const std::string plain = TempDir() + "/plain.tflite", sized = TempDir() + "/sized.tflite";
    auto a = Cli({"convert", in, "-o", plain});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    auto b = Cli({"convert", in, "-o", sized, "--input-size", "300x300"});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_TRUE(SameBytes(plain, sized));
  }
}

TEST(InputSizeCli, BlazeFaceAt192FindsFaces) {
  const std::string out = TempDir() + "/face192.tflite";
  auto c = Cli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "-o", out,
                "--input-size", "192x192", "--add-postprocess", "--anchors", "blazeface-short"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.err.find("128x128 -> 192x192"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("2016 anchors"), std::string::npos) << c.err;  // 24*24*2 + 12*12*6
  auto d = Cli({"detect", out, DataPath("images/face.jpg"), "--preset", "signed", "--json"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const auto j = nlohmann::json::parse(d.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << d.out;
  int faces = 0;
  for (const auto& det : j["detections"]) faces += det["score"].get<double>() > 0.8 ? 1 : 0;
  EXPECT_GE(faces, 3) << d.out;  // the three faces the 128x128 model finds there
}

TEST(InputSizeCli, PixelDecodingPostprocessIsRefusedNamingTheOp) {
  const std::string with_pp = TempDir() + "/face_pp.tflite";
  auto c = Cli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "-o", with_pp,
                "--add-postprocess", "--anchors", "blazeface-short"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto r = Cli({"convert", with_pp, "-o", TempDir() + "/x.tflite", "--input-size", "192x192"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(with_pp), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("TFLite_Detection_PostProcess"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace detlite
