// Hostile records in a raw audit input: only an object or array that ends mid-value is
// `truncated`; binary garbage, text with a stray quote or a document followed by junk are
// `malformed_json`, however simdjson happened to fail on them.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "kubeblame/decode/audit_event_decoder.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::PaddedRecord;
using test::RecordingSink;
using test::SkipCopy;

std::vector<SkipCopy> skips_of(std::string_view line) {
  ParseContext parse_context;
  AuditEventDecoder decoder(parse_context);
  PaddedRecord record(line);
  RecordingSink sink;
  REQUIRE(decoder.decode(record.record(), sink));
  CHECK(sink.events.empty());
  return sink.skips;
}

SkipReason only_reason(std::string_view line) {
  std::vector<SkipCopy> skips = skips_of(line);
  REQUIRE(skips.size() == 1);
  return skips[0].reason;
}

const std::string kEvent =
    R"({"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30 \"q\" \u00e9",)"
    R"("objectRef":{"resource":"pods","namespace":"default"},"sourceIPs":["10.0.0.1"],)"
    R"("responseStatus":{"code":200},"annotations":{"a":true,"b":null,"c":-1.5e3}})";

TEST_CASE("Every proper prefix of an event is truncated", "[decode][hostile]") {
  for (std::size_t cut = 1; cut < kEvent.size(); ++cut) {
    std::string prefix = kEvent.substr(0, cut);
    INFO(prefix);
    CHECK(only_reason(prefix) == SkipReason::kTruncated);
  }
}

TEST_CASE("Records that cannot be cut JSON are malformed, not truncated", "[decode][hostile]") {
  CHECK(only_reason(R"("an unclosed top-level string)") == SkipReason::kMalformedJson);
  CHECK(only_reason(R"({"kind":"Event","verb":"get","userAgent":"a)" "\x01" R"(b)") ==
        SkipReason::kMalformedJson);  // a raw control character inside a string
  CHECK(only_reason(R"({"kind":"Event","verb":"get"} trailing "junk)") == SkipReason::kMalformedJson);
  CHECK(only_reason(R"({"kind":"Event" "verb":"get)") == SkipReason::kMalformedJson);  // no colon
  CHECK(only_reason(R"({"kind":"Event","verb":tru"e)") == SkipReason::kMalformedJson);
  CHECK(only_reason(R"({"kind":"Event","verb":"get\q)") == SkipReason::kMalformedJson);  // bad escape
  CHECK(only_reason(R"({"kind":"Event","userAgent":"\u12G4)") == SkipReason::kMalformedJson);
  CHECK(only_reason(R"([1,2 "three)") == SkipReason::kMalformedJson);
  CHECK(only_reason(R"({"kind":"Event"]"x)") == SkipReason::kMalformedJson);  // wrong closer
  CHECK(only_reason("{\"kind\":\"Ev\xff\xfe\"") == SkipReason::kTruncated);  // bad UTF-8 is repaired
  CHECK(only_reason(std::string(100000, '[')) == SkipReason::kTruncated);   // deep but a prefix
}

TEST_CASE("Binary garbage lines are never truncated", "[decode][hostile]") {
  std::mt19937 random(6);
  int malformed = 0;
  for (int line = 0; line < 2000; ++line) {
    std::string bytes;
    std::size_t length = 8 + random() % 300;
    while (bytes.size() < length) {
      char c = static_cast<char>(random() & 0xFF);
      if (c != '\n') bytes.push_back(c);
    }
    if (line % 2 == 0) bytes[0] = line % 4 == 0 ? '{' : '"';  // starts like JSON half the time
    std::string_view text(bytes);
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ParseContext parse_context;
    AuditEventDecoder decoder(parse_context);
    PaddedRecord record(text);
    RecordingSink sink;
    if (!decoder.decode(record.record(), sink)) continue;  // not JSON at all: the router decides
    for (const SkipCopy& skip : sink.skips) {
      INFO(line);
      CHECK(skip.reason != SkipReason::kTruncated);
      if (skip.reason == SkipReason::kMalformedJson) ++malformed;
    }
  }
  CHECK(malformed > 900);
}

TEST_CASE("Kubernetes Events that are not audit events are declined", "[decode][hostile]") {
  auto accepted = [](std::string_view line) {
    ParseContext parse_context;
    AuditEventDecoder decoder(parse_context);
    PaddedRecord record(line);
    RecordingSink sink;
    bool ok = decoder.decode(record.record(), sink);
    CHECK(sink.skips.empty());
    return ok ? sink.events.size() : std::size_t{99};
  };
  // Declined (the router counts them as not_audit), whatever the field order.
  CHECK(accepted(R"({"kind":"Event","apiVersion":"v1","reason":"BackOff","involvedObject":{"kind":"Pod"}})") == 99);
  CHECK(accepted(R"({"apiVersion":"events.k8s.io/v1","kind":"Event","reason":"Killing","verb":"x"})") == 99);
  // Audit events of every API version, or without one, are read.
  CHECK(accepted(R"({"kind":"Event","apiVersion":"audit.k8s.io/v1beta1","verb":"get"})") == 1);
  CHECK(accepted(R"({"apiVersion":"audit.k8s.io/v1","kind":"Event","stage":"ResponseComplete"})") == 1);
  CHECK(accepted(R"({"verb":"get","requestURI":"/api"})") == 1);
}

}  // namespace
}  // namespace kubeblame::decode
