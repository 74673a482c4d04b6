// The format tables: one decoder row per DecoderKind in order, keys owned by one decoder only,
// every --input-format name parses back to its hint, and every Format has a distinct name.
#include "kubeblame/decode/format_table.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "kubeblame/decode/detect.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {
namespace {

TEST_CASE("decoder rows are in DecoderKind order and make their decoder", "[decode][formats]") {
  ParseContext context;
  REQUIRE(decoder_table().size() == kDecoderCount);
  for (std::size_t i = 0; i < decoder_table().size(); ++i) {
    const DecoderRow& row = decoder_table()[i];
    CHECK(static_cast<std::size_t>(row.kind) == i);
    CHECK(decoder_kind_name(row.kind) == row.name);
    CHECK(row.make(context) != nullptr);
  }
  CHECK(decoder_kind_name(DecoderKind::kUnknown) == "unknown");
}

TEST_CASE("a record key identifies one decoder only, and detect_record uses the table", "[decode][formats]") {
  std::set<std::string_view> seen;
  for (const DecoderRow& row : decoder_table()) {
    for (std::string_view key : row.keys) {
      CHECK(seen.insert(key).second);
      std::string record = "{\"" + std::string(key) + "\":1}";
      CHECK(detect_record(record) == row.kind);
    }
  }
  CHECK(detect_record("{\"unrelated\":1}") == DecoderKind::kUnknown);
}

TEST_CASE("input-format names parse to their hint and force their decoder", "[decode][formats]") {
  CHECK(format_hint_names() ==
        "auto, audit, log-analytics, log-analytics-csv, azure-records, log-text, eks, gke");
  for (const HintRow& row : hint_table()) {
    REQUIRE(parse_format_hint(row.name) == row.hint);
    CHECK(&hint_row(row.hint) == &row);
  }
  CHECK_FALSE(parse_format_hint("json"));
  CHECK(detect_input("{\"verb\":\"get\"}\n", true, FormatHint::kAzureRecords).decoder == DecoderKind::kAzureRecord);
  CHECK(detect_input("{\"verb\":\"get\"}\n", true, FormatHint::kAuto).decoder == DecoderKind::kAuditEvent);
}

TEST_CASE("every Format has a distinct name in input.formats", "[decode][formats]") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kFormatCount; ++i) {
    auto format = static_cast<Format>(i);
    CHECK(names.insert(format_name(format)).second);
  }
  CHECK(format_name(Format::kAksAuditCsv) == "aksaudit-csv");
  CHECK(is_table_row(Format::kControlPlaneRest));
  CHECK_FALSE(is_table_row(Format::kAzureStorage));
}

}  // namespace
}  // namespace kubeblame::decode
