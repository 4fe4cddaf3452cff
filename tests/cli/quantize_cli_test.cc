// `detlite convert --quantize` and `detlite compare` as a user runs them:
// real models and photos, and bad calibration data that must give one clear
// line, a non-zero exit and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

// A folder holding the given photos of ../shared/data/images.
std::string PhotoFolder(const std::string& name, const std::vector<std::string>& photos) {
  const std::string d = TempDir() + "/" + name;
  fs::create_directories(d);
  for (const auto& p : photos) fs::copy_file(DataPath("images/" + p), d + "/" + p,
                                             fs::copy_options::overwrite_existing);
  return d;
}

const std::string kFace = "tflite/face_detection_short_range.tflite";

TEST(QuantizeCliTest, Int8ConvertsAndSaysWhatPreprocessingItUsed) {
  const std::string out = TempDir() + "/face_int8.tflite";
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data",
                PhotoFolder("cal4", {"face.jpg", "pets.jpg", "owl.jpg", "burger.jpg"})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("calibration: 4 images"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("preset signed"), std::string::npos) << r.err;  // what auto chose
  auto m = Model::Load(out);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ModelInfo info = m->Inspect();
  EXPECT_EQ(info.inputs[0].dtype, "float32");
  EXPECT_EQ(info.outputs[0].dtype, "float32");
  EXPECT_EQ(info.op_histogram.count("QUANTIZE"), 1u);
  EXPECT_TRUE(info.metadata.count("CONVERSION_METADATA"));
  // The RELUs are fused into the ADDs before them; int8 ADD, CONV_2D,
  // DEPTHWISE_CONV_2D (version 2/3) need 1.14.0.
  EXPECT_EQ(info.min_runtime_version, "1.14.0");
  EXPECT_EQ(info.op_histogram.count("RELU"), 0u);
  EXPECT_GT(info.constants_by_dtype.at("int8").bytes, 50000);
}

TEST(QuantizeCliTest, CalibratesOnLabelledDatasets) {
  // The Object Detection API's TFRecord (images embedded) and a VOC folder.
  const std::string out = TempDir() + "/face_int8_ds.tflite";
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data",
                DataPath("datasets/pets_examples.record"), "--calibration-size", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("calibration: 3 images"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pets_examples.record: "), std::string::npos) << r.err;
  EXPECT_TRUE(Model::Load(out).ok());
  r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data",
           DataPath("datasets/voc_mini"), "--calibration-size", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("calibration: 2 images"), std::string::npos) << r.err;
  // Something that is neither photos nor a dataset is named.
  const std::string bad = TempDir() + "/never.tflite";
  r = Cli({"convert", DataPath(kFace), "-o", bad, "--quantize", "int8", "--calibration-data",
           DataPath("tflite/half_plus_two.tflite")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not a dataset"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(bad));
}

TEST(QuantizeCliTest, Int8InputTypeAndFloat16) {
  const std::string cal = PhotoFolder("cal2", {"face.jpg", "pets.jpg"});
  const std::string out = TempDir() + "/face_int8_io.tflite";
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data",
                cal, "--io-type", "uint8", "--calibration-size", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("calibration: 1 images"), std::string::npos) << r.err;
  auto m = Model::Load(out);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Inspect().inputs[0].dtype, "uint8");
  EXPECT_EQ(m->Inspect().outputs[0].dtype, "float32");

  const std::string f16 = TempDir() + "/face_f16.tflite";
  r = Cli({"convert", DataPath(kFace), "-o", f16, "--quantize", "float16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto h = Model::Load(f16);
  ASSERT_TRUE(h.ok());
  EXPECT_GT(h->Inspect().constants_by_dtype.at("float16").tensors, 30);
  EXPECT_EQ(h->Inspect().constants_by_dtype.count("float32"), 0u);
}

TEST(QuantizeCliTest, DynamicNeedsNoDataAndRefusesPerTensor) {
  const std::string out = TempDir() + "/face_dynamic.tflite";
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "dynamic"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = Model::Load(out);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->Inspect().inputs[0].dtype, "float32");
  // 16 convolutions have 1024 weights or more; the 21 smaller stay float.
  EXPECT_EQ(m->Inspect().constants_by_dtype.at("int8").tensors, 16);
  EXPECT_NE(r.err.find("left float: "), std::string::npos) << r.err;

  const std::string bad = TempDir() + "/face_dynamic_pt.tflite";
  r = Cli({"convert", DataPath(kFace), "-o", bad, "--quantize", "dynamic", "--per-tensor"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--per-tensor does not apply to --quantize dynamic"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(bad));
}

// --strict-integer: int8 in and out with the trap's cost printed; refused
// with float16 and with --max-accuracy-drop, nothing written.
TEST(QuantizeCliTest, StrictIntegerWritesIntegerIoAndRefusesFloatModes) {
  const std::string out = TempDir() + "/face_strict.tflite";
  const std::string cal = PhotoFolder("cal_strict", {"face.jpg", "pets.jpg", "owl.jpg"});
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--strict-integer",
                "--calibration-data", cal});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("shares the scale anyway"), std::string::npos) << r.err;
  auto m = Model::Load(out);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ModelInfo info = m->Inspect();
  EXPECT_EQ(info.inputs[0].dtype, "int8");
  for (const auto& o : info.outputs) EXPECT_EQ(o.dtype, "int8") << o.name;
  EXPECT_EQ(info.op_histogram.count("DEQUANTIZE"), 0u);
  EXPECT_EQ(info.op_histogram.count("QUANTIZE"), 0u);

  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--quantize", "float16"},
        std::vector<std::string>{"--quantize", "int8", "--max-accuracy-drop", "1", "--eval-data",
                                 DataPath("datasets/widerface_val200_416")}}) {
    const std::string bad = TempDir() + "/face_strict_bad.tflite";
    std::vector<std::string> args = {"convert", DataPath(kFace), "-o", bad, "--strict-integer",
                                     "--calibration-data", cal};
    args.insert(args.end(), extra.begin(), extra.end());
    r = Cli(args);
    EXPECT_NE(r.exit_code, 0) << extra[1];
    EXPECT_NE(r.err.find("--strict-integer"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(bad));
  }
}

TEST(QuantizeCliTest, BadCalibrationDataIsOneLineAndNothingWritten) {
  const std::string out = TempDir() + "/never.tflite";
  const std::string empty = TempDir() + "/empty";
  fs::create_directories(empty);
  auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data", empty});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no calibration images"), std::string::npos) << r.err;

  const std::string broken = TempDir() + "/broken";
  fs::create_directories(broken);
  { std::ofstream(broken + "/a.jpg") << "this is not a jpeg"; }
  r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data", broken});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("a.jpg"), std::string::npos) << r.err;

  // One channel where the model takes three.
  const std::string gray = TempDir() + "/gray";
  fs::create_directories(gray);
  HostTensor t;
  t.info.dtype = "float32";
  t.info.shape = {1, 128, 128, 1};
  t.bytes.assign(128 * 128 * 4, 0);
  ASSERT_TRUE(WriteNpy(gray + "/x.npy", t).ok());
  r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8", "--calibration-data", gray});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("x.npy"), std::string::npos) << r.err;

  r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--calibration-data"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(QuantizeCliTest, RefusesAnAlreadyQuantizedModel) {
  const std::string out = TempDir() + "/never2.tflite";
  auto r = Cli({"convert", DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"), "-o",
                out, "--quantize", "int8", "--calibration-data", PhotoFolder("cal1", {"pets.jpg"})});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("already quantized"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(QuantizeCliTest, CompareReportsPerTensorError) {
  const std::string cal = PhotoFolder("cal3", {"face.jpg", "pets.jpg", "owl.jpg"});
  const std::string q = TempDir() + "/face_cmp.tflite";
  auto r = Cli({"convert", DataPath(kFace), "-o", q, "--quantize", "int8", "--calibration-data", cal});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = TempDir() + "/report.html";
  r = Cli({"compare", DataPath(kFace), q, "--data", PhotoFolder("held", {"sergey.png"}), "--json",
           "--report", html});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["samples"], 1);
  ASSERT_GT(j["tensors"].size(), 30u);
  int outputs = 0;
  for (const auto& t : j["tensors"]) {
    if (!t["is_output"].get<bool>()) continue;
    ++outputs;
    EXPECT_GT(t["sqnr_db"].get<double>(), 10.0) << t["name"];  // measured 13.0 at the lowest
  }
  EXPECT_EQ(outputs, 2);
  EXPECT_TRUE(fs::exists(html));
  r = Cli({"compare", DataPath(kFace), q, "--data", PhotoFolder("held", {"sergey.png"})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lowest SQNR"), std::string::npos);
}

}  // namespace
}  // namespace detlite
