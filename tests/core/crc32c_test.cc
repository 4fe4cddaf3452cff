#include "core/crc32c.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace detlite {
namespace {

TEST(Crc32cTest, PublishedVectors) {
  // RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xff), inc(32);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(crc32c::Value(zeros.data(), 32), 0x8a9136aau);
  EXPECT_EQ(crc32c::Value(ones.data(), 32), 0x62a8ab43u);
  EXPECT_EQ(crc32c::Value(inc.data(), 32), 0x46dd794eu);
  std::string s = "123456789";
  EXPECT_EQ(crc32c::Value(s.data(), s.size()), 0xe3069283u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string s = "The quick brown fox jumps over the lazy dog";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    uint32_t part = crc32c::Extend(crc32c::Value(s.data(), cut), s.data() + cut, s.size() - cut);
    EXPECT_EQ(part, crc32c::Value(s.data(), s.size()));
  }
}

TEST(Crc32cTest, MaskRoundTrips) {
  for (uint32_t v : {0u, 1u, 0xe3069283u, 0xffffffffu}) {
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(v)), v);
    EXPECT_NE(crc32c::Mask(v), v);
  }
}

}  // namespace
}  // namespace detlite
