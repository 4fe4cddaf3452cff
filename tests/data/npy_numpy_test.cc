// Compatibility with numpy itself: files numpy wrote (committed fixtures, and
// fresh ones from Debian's python3-numpy for every dtype and format version)
// read correctly; our files are byte-identical to numpy's and numpy loads them.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "core/file_io.h"
#include "data/npy.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(DETLITE_SOURCE_DIR) + "/tests/data/fixtures/" + name;
}

template <typename T>
std::vector<T> Values(const NpyArray& a) {
  std::vector<T> v(a.bytes.size() / sizeof(T));
  std::memcpy(v.data(), a.bytes.data(), a.bytes.size());
  return v;
}

TEST(NpyNumpyTest, CommittedNumpyFiles) {
  auto f4 = ReadNpyFile(Fixture("numpy_f4_2x3_v1.npy"));
  ASSERT_TRUE(f4.ok()) << f4.status().ToString();
  EXPECT_EQ(f4->shape, (Shape{2, 3}));
  EXPECT_EQ(Values<float>(*f4), (std::vector<float>{-2, -0.5, 1, 2.5, 4, 5.5}));
  auto i8 = ReadNpyFile(Fixture("numpy_i8_v2.npy"));
  ASSERT_TRUE(i8.ok()) << i8.status().ToString();
  EXPECT_EQ(Values<int64_t>(*i8),
            (std::vector<int64_t>{-(int64_t{1} << 62), -1, 0, 7}));
  auto b1 = ReadNpyFile(Fixture("numpy_b1_v3.npy"));
  ASSERT_TRUE(b1.ok()) << b1.status().ToString();
  EXPECT_EQ(b1->dtype, DType::kBool);
  EXPECT_EQ(b1->bytes, (std::vector<uint8_t>{1, 0, 1}));
  auto f2 = ReadNpyFile(Fixture("numpy_f2_scalar_v1.npy"));
  ASSERT_TRUE(f2.ok()) << f2.status().ToString();
  EXPECT_EQ(f2->shape.rank(), 0);
  EXPECT_EQ(Values<uint16_t>(*f2),
            (std::vector<uint16_t>{0x3554}));  // float16(0.333)
  // Written back, the version 1.0 files are numpy's bytes exactly.
  for (const char* name : {"numpy_f4_2x3_v1.npy", "numpy_f2_scalar_v1.npy"}) {
    auto original = ReadFileBytes(Fixture(name));
    auto parsed = ReadNpyFile(Fixture(name));
    ASSERT_TRUE(original.ok() && parsed.ok());
    EXPECT_EQ(*SerializeNpy(*parsed), *original) << name;
  }
}

// Every dtype as numpy makes it: np.arange(-5, 7).astype(descr).reshape(3, 4)
// (bool: odd entries True), in all three format versions.
const char kWriteScript[] = R"(
import sys, numpy as np
out = sys.argv[1]
for d in sys.argv[2:]:
    a = np.arange(-5, 7).reshape(3, 4)
    a = (a % 2 != 0) if d == '|b1' else a.astype(d)
    name = d[1:]
    np.save(f'{out}/{name}.npy', a)
    for v in (2, 3):
        with open(f'{out}/{name}_v{v}.npy', 'wb') as f:
            np.lib.format.write_array(f, a, version=(v, 0))
)";

// Loads what we wrote and checks it against the same construction.
const char kCheckScript[] = R"(
import sys, numpy as np
out = sys.argv[1]
for d in sys.argv[2:]:
    want = np.arange(-5, 7).reshape(3, 4)
    want = (want % 2 != 0) if d == '|b1' else want.astype(d)
    got = np.load(f'{out}/ours_{d[1:]}.npy')
    assert got.dtype == want.dtype and got.shape == want.shape, (d, got.dtype, got.shape)
    assert np.array_equal(got, want), d
print('ok')
)";

const char* const kDescrs[] = {"<f4", "<f2", "<f8", "|i1", "|u1", "<i2",
                               "<i4", "<i8", "<u2", "<u4", "<u8", "|b1"};

StatusOr<testing::ProcessResult> RunPython(const char* script,
                                           const std::string& dir) {
  std::vector<std::string> argv = {"/usr/bin/python3", "-c", script, dir};
  argv.insert(argv.end(), std::begin(kDescrs), std::end(kDescrs));
  return testing::RunProcess(argv, 120);
}

class NumpyLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto probe =
        testing::RunProcess({"/usr/bin/python3", "-c", "import numpy"}, 60);
    ASSERT_TRUE(probe.ok() && probe->exit_code == 0)
        << "Debian's numpy is needed for this test: /usr/bin/python3 -c "
           "'import numpy' failed ("
        << (probe.ok() ? testing::LastLine(probe->err)
                       : probe.status().ToString())
        << "); run scripts/setup.sh (apt package python3-numpy)";
    dir_ = testing::TempDir() + "/numpy_live";
    std::filesystem::create_directories(dir_);
  }
  std::string dir_;
};

TEST_F(NumpyLiveTest, ReadsEveryDTypeAndVersionNumpyWrites) {
  auto run = RunPython(kWriteScript, dir_);
  ASSERT_TRUE(run.ok() && run->exit_code == 0)
      << (run.ok() ? run->err : run.status().ToString());
  for (const char* descr : kDescrs) {
    SCOPED_TRACE(descr);
    const std::string base = dir_ + "/" + std::string(descr + 1);
    auto v1 = ReadNpyFile(base + ".npy");
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    EXPECT_EQ(v1->shape, (Shape{3, 4}));
    EXPECT_EQ(NpyDescr(v1->dtype), descr);
    EXPECT_EQ(v1->bytes.size(), 12 * DTypeSize(v1->dtype));
    for (const char* v : {"_v2.npy", "_v3.npy"}) {
      auto other = ReadNpyFile(base + v);
      ASSERT_TRUE(other.ok()) << other.status().ToString();
      EXPECT_EQ(other->bytes, v1->bytes);
      EXPECT_EQ(other->shape, v1->shape);
    }
    // Our writer reproduces numpy's file byte for byte...
    auto numpy_bytes = ReadFileBytes(base + ".npy");
    ASSERT_TRUE(numpy_bytes.ok());
    EXPECT_EQ(*SerializeNpy(*v1), *numpy_bytes);
    // ...and writes it for numpy to load below.
    ASSERT_TRUE(
        WriteNpyFile(dir_ + "/ours_" + std::string(descr + 1) + ".npy", *v1)
            .ok());
  }
  auto check = RunPython(kCheckScript, dir_);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->exit_code, 0) << check->err;
  EXPECT_EQ(testing::LastLine(check->out), "ok");
}

}  // namespace
}  // namespace detlite
