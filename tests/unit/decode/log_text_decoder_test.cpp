// LogTextDecoder: one LogLine per line of a log file (Format::kLogText), no component, and
// JSON records of another input format handed back to the router.
#include "kubeblame/decode/log_text_decoder.h"

#include <catch2/catch.hpp>

#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::ns;
using test::PaddedRecord;
using test::RecordingSink;

struct Decoded {
  bool accepted = false;
  RecordingSink sink;
};

Decoded decode_line(std::string_view line) {
  LogTextDecoder decoder;
  PaddedRecord record(line);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

TEST_CASE("LogTextDecoder reports every line as a log line", "[decode][logtext]") {
  Decoded cri = decode_line(
      "2022-06-06T06:01:46.817224179Z stderr F E0606 06:01:46.816806       1 "
      "available_controller.go:524] v1alpha1.acme.testing.cert-manager.io failed with: x");
  REQUIRE(cri.accepted);
  CHECK(cri.sink.events.empty());
  CHECK(cri.sink.skips.empty());
  REQUIRE(cri.sink.logs.size() == 1);
  const test::LogCopy& l = cri.sink.logs[0];
  CHECK(l.format == Format::kLogText);
  CHECK(l.shape == model::LogShape::kKlog);
  CHECK(l.level == model::LogLevel::kError);
  CHECK(l.time == ns(1654495306, 816806000));  // 2022-06-06T06:01:46.816806Z
  CHECK(l.component.empty());
  CHECK(l.source == "available_controller.go");
  CHECK(l.message == "v1alpha1.acme.testing.cert-manager.io failed with: x");
  CHECK(l.text ==
        "E0606 06:01:46.816806       1 available_controller.go:524] "
        "v1alpha1.acme.testing.cert-manager.io failed with: x");

  Decoded trace = decode_line("Trace[1430365014]: [1.073928782s] [1.073821299s] About to write");
  REQUIRE(trace.sink.logs.size() == 1);
  CHECK(trace.sink.logs[0].shape == model::LogShape::kContinuation);
  CHECK(trace.sink.logs[0].time == 0);

  Decoded other = decode_line("Flag --insecure-port has been deprecated");
  REQUIRE(other.sink.logs.size() == 1);
  CHECK(other.sink.logs[0].shape == model::LogShape::kOther);
  CHECK(other.sink.logs[0].message == "Flag --insecure-port has been deprecated");

  // A JSON log line is a log line even when it has a key another format uses ("verb").
  Decoded json = decode_line(
      R"({"level":"error","ts":"2024-10-31T10:16:37.179181Z","msg":"HTTP","verb":"GET"})");
  REQUIRE(json.accepted);
  REQUIRE(json.sink.logs.size() == 1);
  CHECK(json.sink.logs[0].shape == model::LogShape::kJson);
  CHECK(json.sink.logs[0].level == model::LogLevel::kError);
  CHECK(json.sink.logs[0].time == ns(1730369797, 179181000));
  CHECK(json.sink.logs[0].message == "HTTP");

  // JSON that names no known format stays a log line (kJson without a message).
  Decoded unknown = decode_line(R"({"note":"x"})");
  REQUIRE(unknown.accepted);
  REQUIRE(unknown.sink.logs.size() == 1);
  CHECK(unknown.sink.logs[0].shape == model::LogShape::kJson);
  CHECK(unknown.sink.logs[0].message.empty());
}

TEST_CASE("LogTextDecoder hands records of other formats back", "[decode][logtext]") {
  for (const char* line : {
           R"({"kind":"Event","verb":"get","stage":"ResponseComplete"})",
           R"(  {"verb":"get","stage":"Resp)",
           R"({"category":"kube-audit","properties":{"log":"{}"}})",
           R"({"AuditId":"x","Verb":"get"})",
       }) {
    INFO(line);
    Decoded d = decode_line(line);
    CHECK_FALSE(d.accepted);
    CHECK(d.sink.calls() == 0);
  }
}

}  // namespace
}  // namespace kubeblame::decode
