// Hostile .npy files: every malformed field is refused with a message naming
// the file and the problem, and no input crashes the reader.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "data/npy.h"

namespace detlite {
namespace {

// A version 1.0 file with `dict` as its header (padded like numpy) followed
// by `data`.
std::string File(const std::string& dict, const std::string& data,
                 int major = 1) {
  std::string header = dict;
  const size_t prefix = major == 1 ? 10 : 12;
  header.append(64 - (prefix + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string out =
      std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  const size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major != 1) out += std::string(2, '\0');
  return out + header + data;
}

std::string Dict(const std::string& descr, const std::string& shape,
                 const std::string& order = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + order +
         ", 'shape': " + shape + ", }";
}

Status Parse(const std::string& file) {
  auto r = ParseNpy(reinterpret_cast<const uint8_t*>(file.data()), file.size(),
                    "evil.npy");
  return r.ok() ? Status::Ok() : r.status();
}

void ExpectRejected(const std::string& file, StatusCode code,
                    const std::string& words) {
  const Status s = Parse(file);
  ASSERT_FALSE(s.ok()) << "accepted: " << words;
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find("evil.npy"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
}

const std::string kSix(6, '\1');

TEST(NpyHostileTest, WellFormedBaselinesParse) {
  EXPECT_TRUE(Parse(File(Dict("|u1", "(2, 3)"), kSix)).ok());
  EXPECT_TRUE(Parse(File(Dict("|u1", "(6,)"), kSix, 2)).ok());
  EXPECT_TRUE(Parse(File(Dict("|u1", "(6,)"), kSix, 3)).ok());
  EXPECT_TRUE(Parse(File(Dict("<u1", "(6,)"), kSix))
                  .ok());  // numpy accepts '<' for bytes
  EXPECT_TRUE(
      Parse(
          File(
              "{\"shape\": (6,), \"fortran_order\": False, \"descr\": \"|b1\"}",
              kSix))
          .ok());
}

TEST(NpyHostileTest, MagicVersionAndLengths) {
  ExpectRejected("", StatusCode::kInvalidArgument, "not a .npy");
  ExpectRejected("PK\3\4 a zip, maybe an .npz", StatusCode::kInvalidArgument,
                 "not a .npy");
  std::string v4 = File(Dict("|u1", "(6,)"), kSix);
  v4[6] = 4;
  ExpectRejected(v4, StatusCode::kUnimplemented, "version 4.0");
  std::string minor = File(Dict("|u1", "(6,)"), kSix);
  minor[7] = 1;
  ExpectRejected(minor, StatusCode::kUnimplemented, "version 1.1");
  ExpectRejected(std::string("\x93NUMPY\x01\x00\x05", 9), StatusCode::kDataLoss,
                 "preamble");
  std::string long_header = File(Dict("|u1", "(6,)"), kSix);
  long_header[8] = '\xff';
  long_header[9] = '\x7f';
  ExpectRejected(long_header, StatusCode::kDataLoss, "claims");
  std::string huge = File(Dict("|u1", "(6,)"), kSix, 2);
  huge[11] = '\x7f';  // 2 GiB header
  ExpectRejected(huge, StatusCode::kDataLoss, "implausible");
}

TEST(NpyHostileTest, HeaderDictIsParsedStrictly) {
  const StatusCode bad = StatusCode::kDataLoss;
  ExpectRejected(File("[1, 2]", kSix), bad, "expected '{'");
  ExpectRejected(File("{'descr': '|u1', 'shape': (6,), }", kSix), bad,
                 "must give");
  ExpectRejected(File("{'descr': '|u1', 'descr': '|u1', 'fortran_order': "
                      "False, 'shape': (6,)}",
                      kSix),
                 bad, "repeated key 'descr'");
  ExpectRejected(File(Dict("|u1", "(6,)") + "{", kSix), bad, "after the dict");
  ExpectRejected(
      File("{'descr': '|u1', 'fortran_order': False, 'shape': (6,), 'x': 1}",
           kSix),
      bad, "'x'");
  ExpectRejected(File(Dict("|u1", "(6,)", "0"), kSix), bad, "True or False");
  ExpectRejected(File(Dict("|u1", "(6)"), kSix), bad, "(n,)");
  ExpectRejected(File(Dict("|u1", "(-6,)"), kSix), bad, "non-negative");
  ExpectRejected(File(Dict("|u1", "(06,)"), kSix), bad, "leading zero");
  ExpectRejected(File(Dict("|u1", "(6.0,)"), kSix), bad, "expected ','");
  ExpectRejected(File(Dict("|u1", "(2147483648,)"), ""), bad, "2^31");
  ExpectRejected(File(Dict("|u\\x31", "(6,)"), kSix), bad, "bad character");
  ExpectRejected(
      File("{'descr': '|u1\n', 'fortran_order': False, 'shape': (6,)}", kSix),
      bad, "bad character");
  std::string no_newline = File(Dict("|u1", "(6,)"), kSix);
  no_newline[no_newline.size() - 7] = ' ';
  ExpectRejected(no_newline, bad, "newline");
  std::string nul = File(Dict("|u1", "(6,)"), kSix);
  nul[20] = '\0';
  EXPECT_FALSE(Parse(nul).ok());
}

TEST(NpyHostileTest, UnsupportedButValidArrays) {
  ExpectRejected(File(Dict("|u1", "(2, 3)", "True"), kSix),
                 StatusCode::kUnimplemented, "fortran_order");
  ExpectRejected(File(Dict(">i2", "(3,)"), kSix), StatusCode::kUnimplemented,
                 "big-endian");
  ExpectRejected(File(Dict("<c8", "(1,)"), std::string(8, '\0')),
                 StatusCode::kUnimplemented, "'<c8'");
  ExpectRejected(File(Dict("|O", "(1,)"), std::string(8, '\0')),
                 StatusCode::kUnimplemented, "'|O'");
  ExpectRejected(File(Dict("<U3", "(1,)"), std::string(12, '\0')),
                 StatusCode::kUnimplemented, "'<U3'");
}

TEST(NpyHostileTest, DataSizeMustMatchTheShapeExactly) {
  ExpectRejected(File(Dict("<f4", "(2,)"), std::string(7, '\0')),
                 StatusCode::kDataLoss, "needs 8");
  ExpectRejected(File(Dict("<f4", "(2,)"), std::string(9, '\0')),
                 StatusCode::kDataLoss, "needs 8");
  // Products that would overflow 64 bits if multiplied naively.
  ExpectRejected(
      File(Dict("<f8", "(2147483647, 2147483647, 2147483647, 2147483647, 8)"),
           kSix),
      StatusCode::kDataLoss, "needs more");
  // ... while a zero dimension makes any other size fine.
  EXPECT_TRUE(Parse(File(Dict("<f8", "(2147483647, 2147483647, 0)"), "")).ok());
}

TEST(NpyHostileTest, BoolBytesMustBeZeroOrOne) {
  ExpectRejected(File(Dict("|b1", "(3,)"), std::string("\1\0\2", 3)),
                 StatusCode::kDataLoss, "element 2 is 2");
}

TEST(NpyHostileTest, EveryTruncationAndMutationIsSafe) {
  const std::string good = File(Dict("<i4", "(2, 3)"), std::string(24, '\7'));
  ASSERT_TRUE(Parse(good).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(Parse(good.substr(0, n)).ok())
        << "prefix of " << n << " bytes accepted";
  }
  std::mt19937 rng(99);
  for (int round = 0; round < 3000; ++round) {
    std::string m = good;
    for (int k = 0; k < 1 + round % 4; ++k) {
      m[rng() % 128] = static_cast<char>(rng());
    }
    auto r =
        ParseNpy(reinterpret_cast<const uint8_t*>(m.data()), m.size(), "m.npy");
    if (r.ok()) {  // survivors must be self-consistent
      EXPECT_EQ(
          static_cast<uint64_t>(r->shape.NumElements()) * DTypeSize(r->dtype),
          r->bytes.size());
    }
  }
}

}  // namespace
}  // namespace detlite
