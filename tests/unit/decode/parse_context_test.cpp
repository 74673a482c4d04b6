// Parsing helpers: UTF-8 repair, the string arena, skip reasons, read_text and trim.
#include "kubeblame/decode/parse_context.h"

#include <catch2/catch.hpp>

#include <string>

#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("repair_utf8 replaces each invalid byte with U+FFFD", "[decode][utf8]") {
  std::string out;
  CHECK_FALSE(repair_utf8("plain ascii", out));
  CHECK(out == "plain ascii");
  CHECK_FALSE(repair_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", out));
  CHECK(out == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");

  CHECK(repair_utf8("a\xFF" "b", out));
  CHECK(out == "a" + kFffd + "b");
  CHECK(repair_utf8("cut \xE2\x82", out));  // a sequence cut short at the end
  CHECK(out == "cut " + kFffd + kFffd);
  CHECK(repair_utf8("\xC0\xAF", out));  // overlong '/'
  CHECK(out == kFffd + kFffd);
  CHECK(repair_utf8("\xED\xA0\x80", out));  // a UTF-16 surrogate
  CHECK(out == kFffd + kFffd + kFffd);
  CHECK(repair_utf8("\xF4\x90\x80\x80", out));  // past U+10FFFF
  CHECK(out == kFffd + kFffd + kFffd + kFffd);
  CHECK(repair_utf8("\x80x", out));  // a lone continuation byte
  CHECK(out == kFffd + "x");
}

TEST_CASE("StringArena keeps copies until reset, across block boundaries", "[decode]") {
  StringArena arena;
  std::string big(100 * 1024, 'b');
  std::string_view a = arena.keep("alpha");
  std::string_view b = arena.keep(big);
  std::string_view c = arena.keep("gamma");
  CHECK(arena.keep("").empty());
  CHECK(a == "alpha");
  CHECK(b == big);
  CHECK(c == "gamma");
  std::string source = "temporary";
  std::string_view kept = arena.keep(source);
  source.assign("overwritten");
  CHECK(kept == "temporary");
  arena.reset();
  std::string_view again = arena.keep("delta");
  CHECK(again == "delta");
}

TEST_CASE("skip_reason_for: cut input is truncated, the rest malformed", "[decode]") {
  CHECK(skip_reason_for(simdjson::UNCLOSED_STRING) == SkipReason::kTruncated);
  CHECK(skip_reason_for(simdjson::INCOMPLETE_ARRAY_OR_OBJECT) == SkipReason::kTruncated);
  CHECK(skip_reason_for(simdjson::EMPTY) == SkipReason::kTruncated);
  CHECK(skip_reason_for(simdjson::TAPE_ERROR) == SkipReason::kMalformedJson);
  CHECK(skip_reason_for(simdjson::T_ATOM_ERROR) == SkipReason::kMalformedJson);
}

TEST_CASE("skip reason and format names are the JSON contract's", "[decode]") {
  CHECK(skip_reason_name(SkipReason::kMalformedJson) == "malformed_json");
  CHECK(skip_reason_name(SkipReason::kTruncated) == "truncated");
  CHECK(skip_reason_name(SkipReason::kNotAudit) == "not_audit");
  CHECK(skip_reason_name(SkipReason::kUnknownFormat) == "unknown_format");
  CHECK(skip_reason_name(SkipReason::kTooLong) == "too_long");
  CHECK(skip_reason_name(SkipReason::kEmptyBatch) == "empty_batch");
  CHECK(skip_reason_name(SkipReason::kBlank) == "blank");
  CHECK(format_name(Format::kAuditJsonLines) == "audit-jsonl");
  CHECK(format_name(Format::kAksAuditAzJson) == "aksaudit-az-json");
  CHECK(format_name(Format::kAzureEventHub) == "azure-eventhub");
  CHECK(format_name(Format::kDiagnosticsCsv) == "azurediagnostics-csv");
}

TEST_CASE("trim strips JSON whitespace only", "[decode]") {
  CHECK(trim(" \t\r\n x y \n") == "x y");
  CHECK(trim("") == "");
  CHECK(trim("  ") == "");
  CHECK(trim("\xC2\xA0x") == "\xC2\xA0x");
}

TEST_CASE("read_text reads scalars as text and containers as nothing", "[decode]") {
  ParseContext context;
  test::PaddedRecord record(
      R"({"s":"a\"b","n":  42.50 ,"t":true,"z":null,"o":{"k":1},"a":[1]})");
  simdjson::ondemand::document doc;
  REQUIRE(context.parse(record.record()).get(doc) == simdjson::SUCCESS);
  simdjson::ondemand::object object;
  REQUIRE(doc.get_object().get(object) == simdjson::SUCCESS);
  std::vector<std::string> texts;
  for (auto field : object) {
    simdjson::ondemand::field f;
    REQUIRE(std::move(field).get(f) == simdjson::SUCCESS);
    std::string_view text = "unset";
    REQUIRE(read_text(f.value(), text) == simdjson::SUCCESS);
    texts.emplace_back(std::string(key_of(f)) + "=" + std::string(text));
  }
  CHECK(texts == std::vector<std::string>{"s=a\"b", "n=42.50", "t=true", "z=", "o=", "a="});
}

TEST_CASE("ParseContext::parse_inner parses embedded JSON text, repairing UTF-8", "[decode]") {
  ParseContext context;
  simdjson::ondemand::document doc;
  REQUIRE(context.parse_inner("{\"username\":\"bad\xFF\"}").get(doc) == simdjson::SUCCESS);
  std::string_view name;
  REQUIRE(doc.find_field("username").get_string().get(name) == simdjson::SUCCESS);
  CHECK(name == "bad" + kFffd);
}

}  // namespace
}  // namespace kubeblame::decode
