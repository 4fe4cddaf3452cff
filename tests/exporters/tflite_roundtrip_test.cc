// Every real model: read -> write -> read gives the same IR (tensors, data
// bytes, quantization, sparsity, ops, options, metadata, signatures), and
// the writer is deterministic and idempotent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detlite/schemas/tflite_generated.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/ir_compare.h"
#include "support/paths.h"

namespace detlite {
namespace {


class RoundTripTest : public ::testing::TestWithParam<std::string> {
 protected:
  ir::Model ReadOriginal() {
    auto m = ReadTfliteFile(testing::DataPath(std::string("tflite/") + GetParam()));
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::move(m).value() : ir::Model();
  }
};

TEST_P(RoundTripTest, ReadWriteReadIsIdentical) {
  ir::Model original = ReadOriginal();
  auto bytes = WriteTfliteBuffer(original);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto again = ReadTfliteBuffer(bytes->data(), bytes->size(), "written");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  // Versions may only go up, to what the op's types require.
  EXPECT_EQ(testing::DiffModels(original, *again, {.op_versions = false}), "");
  for (size_t s = 0; s < original.subgraphs.size(); ++s) {
    for (size_t k = 0; k < original.subgraphs[s].ops.size(); ++k) {
      EXPECT_GE(again->subgraphs[s].ops[k].version,
                original.subgraphs[s].ops[k].version);
    }
  }
}

TEST_P(RoundTripTest, WriterIsDeterministicAndIdempotent) {
  ir::Model original = ReadOriginal();
  auto first = WriteTfliteBuffer(original);
  auto second = WriteTfliteBuffer(original);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  // Writing what was read back gives the same bytes: nothing drifts.
  auto reread = ReadTfliteBuffer(first->data(), first->size(), "written");
  ASSERT_TRUE(reread.ok());
  auto third = WriteTfliteBuffer(*reread);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*first, *third);
}

TEST_P(RoundTripTest, ExternalBufferLayoutRoundTrips) {
  ir::Model original = ReadOriginal();
  auto bytes = WriteTfliteBuffer(original, {.external_buffers = true});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const fb::Model* m = fb::GetModel(bytes->data());
  for (const fb::Buffer* b : *m->buffers()) {
    EXPECT_TRUE(b->data() == nullptr || b->data()->size() == 0);
    if (b->size() > 0) {
      EXPECT_GT(b->offset(), 1u);
      EXPECT_EQ(b->offset() % 16, 0u);
    }
  }
  auto again = ReadTfliteBuffer(bytes->data(), bytes->size(), "external");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(testing::DiffModels(original, *again, {.op_versions = false}), "");
}

TEST_P(RoundTripTest, LayoutFollowsTheFormatsConventions) {
  ir::Model original = ReadOriginal();
  auto bytes = WriteTfliteBuffer(original);
  ASSERT_TRUE(bytes.ok());
  flatbuffers::Verifier v(bytes->data(), bytes->size());
  ASSERT_TRUE(fb::VerifyModelBuffer(v));
  const fb::Model* m = fb::GetModel(bytes->data());
  ASSERT_GT(m->buffers()->size(), 0u);
  const fb::Buffer* sentinel = m->buffers()->Get(0);
  EXPECT_TRUE(sentinel->data() == nullptr || sentinel->data()->size() == 0);
  for (const fb::Buffer* b : *m->buffers()) {
    if (b->data() == nullptr || b->data()->size() == 0) continue;
    EXPECT_EQ((b->data()->data() - bytes->data()) % 16, 0) << "unaligned buffer";
  }
  // One entry per distinct (op, custom name, version).
  const auto* codes = m->operator_codes();
  for (flatbuffers::uoffset_t i = 0; i < codes->size(); ++i) {
    const fb::OperatorCode* a = codes->Get(i);
    const int32_t code = static_cast<int32_t>(a->builtin_code());
    EXPECT_EQ(a->deprecated_builtin_code(), std::min(code, 127));
    for (flatbuffers::uoffset_t j = i + 1; j < codes->size(); ++j) {
      const fb::OperatorCode* b = codes->Get(j);
      const bool same_name = (a->custom_code() ? a->custom_code()->str() : "") ==
                             (b->custom_code() ? b->custom_code()->str() : "");
      EXPECT_FALSE(a->builtin_code() == b->builtin_code() && same_name &&
                   a->version() == b->version())
          << "duplicate operator code " << i << " and " << j;
    }
  }
  // Identical blobs are stored once, so never more buffers than the source.
  auto src = ReadTfliteFile(testing::DataPath(std::string("tflite/") + GetParam()));
  ASSERT_TRUE(src.ok());
  size_t blobs = 0;
  for (const auto& t : src->subgraphs[0].tensors) blobs += t.data ? 1 : 0;
  blobs += src->metadata.size() + src->unnamed_metadata.size();
  EXPECT_LE(m->buffers()->size(), blobs + 1);
}

INSTANTIATE_TEST_SUITE_P(AllRealModels, RoundTripTest, ::testing::ValuesIn(testing::RealTfliteModels()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n(info.param);
                           n = n.substr(0, n.size() - 7);
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace detlite
