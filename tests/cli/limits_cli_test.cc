// Memory bounds of docs/LIMITS.md, measured on the real binary: peak RSS of
// the child process (getrusage) on the hostile files of issue 11.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

const std::string kGt = "coco-eval/padilla_sampled/sampled_gts_bbox_area.json";

// Memory bounds are measured in the default build: under AddressSanitizer
// the process's RSS includes ASan's shadow and quarantine, and ASan cannot
// start under an address-space limit (it maps terabytes of shadow).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif

TEST(LimitsCliTest, AResultsFileIsStreamedNotHeldWhole) {
  if (kUnderAsan) GTEST_SKIP() << "RSS bound measured in the default build, not under ASan";
  // 120 MB of results: 300 detections, each carrying 400 KB of a field the
  // evaluator skips. Held whole (text plus a JSON tree) this needs several
  // times the file; streamed, one entry at a time.
  const std::string path = TempDir() + "/big_results.json";
  const std::string pad(400'000, 'p');
  {
    std::ofstream f(path, std::ios::binary);
    f << "[";
    for (int i = 0; i < 300; ++i) {
      f << (i ? "," : "") << R"({"image_id":1146,"category_id":1,"bbox":[10,10,50,50],)"
        << R"("score":0.5,"segmentation":")" << pad << "\"}";
    }
    f << "]";
  }
  const auto bytes = std::filesystem::file_size(path);
  auto r = Cli({"eval", "--detections", path, "--dataset", DataPath(kGt), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded());
  std::printf("eval --detections on %.0f MB: max RSS %ld KiB, %.2f s\n", bytes / 1e6,
              r.max_rss_kib, r.seconds);
  EXPECT_LT(r.max_rss_kib * 1024.0, bytes / 2.0);

  // A results file that is not JSON past its first entries says where.
  std::ofstream(path, std::ios::binary)
      << R"([{"image_id":1146,"category_id":1,"bbox":[1,1,2,2],"score":0.5}, {"image_id")";
  r = Cli({"eval", "--detections", path, "--dataset", DataPath(kGt)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("big_results.json: not valid JSON (at byte"), std::string::npos) << r.err;
}

// A gray 8-bit PNG of width x height zeros, deflated row by row (a few
// hundred KB for 2^27 pixels).
std::string ZeroPng(uint32_t width, uint32_t height) {
  auto be32 = [](std::string* s, uint32_t v) {
    for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>(v >> (8 * i)));
  };
  auto chunk = [&](std::string* png, const char* type, const std::string& data) {
    be32(png, static_cast<uint32_t>(data.size()));
    const std::string body = std::string(type, 4) + data;
    *png += body;
    be32(png, static_cast<uint32_t>(
                  crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  };
  std::string ihdr;
  be32(&ihdr, width);
  be32(&ihdr, height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit gray, no interlace
  z_stream z{};
  deflateInit(&z, 6);
  std::vector<Bytef> row(width + 1, 0), buf(1 << 20);
  std::string idat;
  for (uint32_t y = 0; y <= height; ++y) {
    z.next_in = row.data();
    z.avail_in = y < height ? static_cast<uInt>(row.size()) : 0;
    const int flush = y < height ? Z_NO_FLUSH : Z_FINISH;
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      idat.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  std::string png = "\x89PNG\r\n\x1a\n";
  chunk(&png, "IHDR", ihdr);
  chunk(&png, "IDAT", idat);
  chunk(&png, "IEND", "");
  return png;
}

TEST(LimitsCliTest, OutOfMemoryIsOneLineAndLeavesNothing) {
  if (kUnderAsan) GTEST_SKIP() << "ASan cannot start under `ulimit -v`; run in the default build";
  // The largest photo allowed (16384 x 8192 = 2^27 px) under a 400 MB
  // address-space limit: allocation fails, and the run still ends cleanly.
  const std::string photo = TempDir() + "/zeros_2p27.png";
  std::ofstream(photo, std::ios::binary) << ZeroPng(16384, 8192);
  const std::string out = TempDir() + "/oom_out";
  const std::string bash = testing::FindExecutable("bash");
  ASSERT_FALSE(bash.empty());
  auto r = testing::RunProcess({bash, "-c", "ulimit -v 400000; exec \"$0\" \"$@\"", CliPath(),
                                "detect", DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"),
                                photo, "-o", out});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->signal, 0);
  EXPECT_EQ(r->exit_code, 1) << r->err;
  EXPECT_NE(r->err.find("out of memory"), std::string::npos) << r->err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace detlite
