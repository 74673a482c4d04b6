// parse_log_text: klog headers, the CRI prefix, Trace continuations, JSON log lines, other text.
// Expected epoch seconds computed with `date -u -d <time> +%s`.
#include "kubeblame/decode/klog.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>

#include "kubeblame/model/time.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using model::LogLevel;
using model::LogShape;
using test::ns;

model::LogLine parse(std::string_view text, model::TimeNs reference) {
  model::LogLine line;
  line.component = "kept";
  parse_log_text(text, reference, line);
  CHECK(line.component == "kept");
  return line;
}

constexpr model::TimeNs kRef = ns(1688957170, 193911949);  // 2023-07-10T02:46:10.193911949Z

TEST_CASE("parse_log_text reads klog headers", "[klog]") {
  std::string_view text =
      "E0710 02:46:38.993347       1 status.go:71] apiserver received an error that is not an "
      "metav1.Status: &errors.errorString{s:\"error dialing backend: EOF\"}: error dialing backend: EOF";
  model::LogLine line = parse(text, kRef);
  CHECK(line.shape == LogShape::kKlog);
  CHECK(line.level == LogLevel::kError);
  CHECK(line.time == ns(1688957198, 993347000));  // 2023-07-10T02:46:38.993347Z
  CHECK(line.source == "status.go");
  CHECK(line.message ==
        "apiserver received an error that is not an metav1.Status: &errors.errorString{s:\"error "
        "dialing backend: EOF\"}: error dialing backend: EOF");
  CHECK(line.text == text);

  // Single-space thread id, each level letter, a trailing newline and CR.
  line = parse("W0710 02:46:38.5 11 cacher.go:424] cacher (x): failed\r\n", kRef);
  CHECK(line.shape == LogShape::kKlog);
  CHECK(line.level == LogLevel::kWarning);
  CHECK(line.time == ns(1688957198, 500000000));
  CHECK(line.source == "cacher.go");
  CHECK(line.message == "cacher (x): failed");
  CHECK(line.text == "W0710 02:46:38.5 11 cacher.go:424] cacher (x): failed");
  CHECK(parse("I0710 02:46:38.000000 1 a.go:1] x", kRef).level == LogLevel::kInfo);
  CHECK(parse("F0710 02:46:38.000000 1 a.go:1] x", kRef).level == LogLevel::kFatal);
  // No fraction at all, and a header with nothing after "]".
  line = parse("I0710 02:46:38 1 server.go:148]", kRef);
  CHECK(line.shape == LogShape::kKlog);
  CHECK(line.time == ns(1688957198));
  CHECK(line.message.empty());
  CHECK(line.source == "server.go");
  // Structured form keeps the quoted message as written.
  line = parse(
      "E1126 03:38:26.776766       1 authentication.go:75] \"Unable to authenticate the request\" "
      "err=\"[invalid bearer token, service account token has expired]\"",
      ns(1732592306));  // 2024-11-26T03:38:26Z
  CHECK(line.time == ns(1732592306, 776766000));
  CHECK(line.message ==
        "\"Unable to authenticate the request\" err=\"[invalid bearer token, service account "
        "token has expired]\"");
}

TEST_CASE("parse_log_text picks the year nearest to the reference", "[klog]") {
  // Dec 31 read on Jan 1: the previous year. 2023-12-31T23:59:59.999999Z = 1704067199
  model::LogLine line =
      parse("I1231 23:59:59.999999       1 a.go:1] late", ns(1704067200, 1000));
  CHECK(line.time == ns(1704067199, 999999000));
  // Jan 1 read on Dec 31: the next year. 2023-01-01T00:00:02Z = 1672531202
  line = parse("W0101 00:00:02.000000       1 a.go:1] early", ns(1672531198, 500000000));
  CHECK(line.time == ns(1672531202));
  // Feb 29 read in 2024 (leap): 2024-02-29T12:00:00Z = 1709208000
  CHECK(parse("I0229 12:00:00.000000 1 a.go:1] leap", ns(1709251200)).time == ns(1709208000));
  // Feb 29 read in 2023: the only candidate year with that day is 2024.
  CHECK(parse("I0229 12:00:00.000000 1 a.go:1] leap", ns(1688957170)).time == ns(1709208000));
  // Feb 29 read in 2019: no candidate (2018..2020 has 2020): 2020-02-29T12:00:00Z = 1582977600
  CHECK(parse("I0229 12:00:00.000000 1 a.go:1] leap", ns(1546300800)).time == ns(1582977600));
  // Feb 29 read in 2022: 2021..2023 has none; the time stays the reference.
  CHECK(parse("I0229 12:00:00.000000 1 a.go:1] leap", ns(1654495306)).time == ns(1654495306));
}

TEST_CASE("parse_log_text without a reference uses the run's clock", "[klog]") {
  model::TimeNs now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  int year = model::civil_from_ns(now).year;
  model::LogLine line = parse("I0101 00:00:00.000000 1 a.go:1] new year", 0);
  CHECK(line.shape == LogShape::kKlog);
  model::CivilTime t = model::civil_from_ns(line.time);
  CHECK(t.year == year);
  CHECK(t.month == 1);
  CHECK(t.day == 1);
  // Dec 31 is in the future (by more than a day) except on Dec 30/31: then last year.
  line = parse("I1231 23:00:00.000000 1 a.go:1] eve", 0);
  model::CivilTime dec31{year, 12, 31, 23, 0, 0, 0};
  int expected = model::ns_from_civil(dec31) <= now + model::kNsPerDay ? year : year - 1;
  CHECK(model::civil_from_ns(line.time).year == expected);
  CHECK(line.time <= now + model::kNsPerDay);
  // Lines without a time of their own have none.
  CHECK(parse("plain text", 0).time == 0);
}

TEST_CASE("parse_log_text strips the CRI prefix", "[klog]") {
  std::string_view text =
      "2022-06-06T06:01:46.817224179Z stderr F E0606 06:01:46.816806       1 "
      "available_controller.go:524] v1alpha1.acme.testing.cert-manager.io failed with: failing";
  model::LogLine line = parse(text, 0);
  CHECK(line.shape == LogShape::kKlog);
  CHECK(line.level == LogLevel::kError);
  CHECK(line.time == ns(1654495306, 816806000));  // the CRI time is the reference: 2022
  CHECK(line.source == "available_controller.go");
  CHECK(line.message == "v1alpha1.acme.testing.cert-manager.io failed with: failing");
  CHECK(line.text ==
        "E0606 06:01:46.816806       1 available_controller.go:524] "
        "v1alpha1.acme.testing.cert-manager.io failed with: failing");
  // The caller's reference wins over the prefix: 2023-06-06T06:01:46.816806Z = 1686031306
  CHECK(parse(text, kRef).time == ns(1686031306, 816806000));

  // stdout, a partial line, text that is not klog: the CRI time is the line's time.
  line = parse("2022-06-06T06:01:46.817224179Z stdout P goroutine 1 [running]:", 0);
  CHECK(line.shape == LogShape::kOther);
  CHECK(line.time == ns(1654495306, 817224179));
  CHECK(line.message == "goroutine 1 [running]:");
  CHECK(line.text == "goroutine 1 [running]:");
  // An empty CRI line.
  line = parse("2022-06-06T06:01:46.817224179Z stderr F", 0);
  CHECK(line.shape == LogShape::kOther);
  CHECK(line.text.empty());
  CHECK(line.time == ns(1654495306, 817224179));
  // Not a CRI prefix: bad stream, bad tag, bad time.
  CHECK(parse("2022-06-06T06:01:46.817224179Z stdin F x", 0).text ==
        "2022-06-06T06:01:46.817224179Z stdin F x");
  CHECK(parse("2022-06-06T06:01:46.817224179Z stderr X x", 0).shape == LogShape::kOther);
  CHECK(parse("2022-13-06T06:01:46.817224179Z stderr F x", 0).message ==
        "2022-13-06T06:01:46.817224179Z stderr F x");
}

TEST_CASE("parse_log_text marks Trace continuations", "[klog]") {
  std::string_view text =
      "Trace[711846624]: ---\"Write to database call finished\" len:8917,err:nil 5010ms "
      "(02:46:10.192)\n";
  model::LogLine line = parse(text, kRef);
  CHECK(line.shape == LogShape::kContinuation);
  CHECK(line.level == LogLevel::kUnknown);
  CHECK(line.time == kRef);
  CHECK(line.source.empty());
  CHECK(line.message == text.substr(0, text.size() - 1));
  CHECK(line.text == line.message);
  CHECK(parse("Trace[1430365014]: [1.073928782s] [1.073821299s] About to write a response", kRef)
            .shape == LogShape::kContinuation);
  CHECK(parse("  Trace[1]: [5.0s] [5.0s] END", kRef).shape == LogShape::kContinuation);
  CHECK(parse("\"Trace[1]: nested\"", kRef).shape == LogShape::kContinuation);
  CHECK(parse("Trace[]: x", kRef).shape == LogShape::kOther);
  CHECK(parse("Trace[12] x", kRef).shape == LogShape::kOther);
  // A klog line whose message is a trace header stays a klog line.
  line = parse(
      "I1022 01:00:31.207515       1 trace.go:116] Trace[1430365014]: \"Get\" url:/api/v1/x",
      ns(1603328431));  // 2020-10-22T01:00:31Z
  CHECK(line.shape == LogShape::kKlog);
  CHECK(line.time == ns(1603328431, 207515000));
  CHECK(line.message == "Trace[1430365014]: \"Get\" url:/api/v1/x");
}

TEST_CASE("parse_log_text reads JSON log lines", "[klog]") {
  std::string_view text =
      "{\"level\":\"warn\",\"ts\":\"2024-10-31T10:16:37.179181Z\",\"logger\":\"etcd-client\","
      "\"caller\":\"v3@v3.5.9/retry_interceptor.go:62\",\"msg\":\"retrying of unary invoker "
      "failed\",\"target\":\"etcd-endpoints://0xc002799500/192.167.14.53:2379\",\"attempt\":0,"
      "\"error\":\"rpc error: code = Canceled desc = context canceled\"}";
  model::LogLine line = parse(text, kRef);
  CHECK(line.shape == LogShape::kJson);
  CHECK(line.level == LogLevel::kWarning);
  CHECK(line.time == ns(1730369797, 179181000));
  CHECK(line.source == "retry_interceptor.go");
  CHECK(line.message == "retrying of unary invoker failed");
  CHECK(line.text == text);

  // --logging-format=json: epoch seconds, "err" without a level means error, escapes kept.
  line = parse(
      "{\"ts\":1580306777.04728,\"caller\":\"cacher.go:450\",\"msg\":\"say \\\"hi\\\"\","
      "\"err\":\"boom\",\"nested\":{\"a\":[1,\"}\"]}}",
      kRef);
  CHECK(line.shape == LogShape::kJson);
  CHECK(line.level == LogLevel::kError);
  CHECK(line.time == ns(1580306777, 47280000));
  CHECK(line.source == "cacher.go");
  CHECK(line.message == "say \\\"hi\\\"");
  line = parse("{ \"v\": 2, \"message\": \"m\" }", kRef);
  CHECK(line.shape == LogShape::kJson);
  CHECK(line.level == LogLevel::kInfo);
  CHECK(line.time == kRef);
  CHECK(line.message == "m");
  CHECK(parse("{\"level\":\"ERROR\",\"msg\":\"x\"}", kRef).level == LogLevel::kError);
  CHECK(parse("{\"level\":\"panic\",\"msg\":\"x\"}", kRef).level == LogLevel::kFatal);
  CHECK(parse("{\"level\":\"debug\",\"msg\":\"x\"}", kRef).level == LogLevel::kInfo);
  CHECK(parse("{\"level\":\"loud\",\"msg\":\"x\"}", kRef).level == LogLevel::kUnknown);
  // Broken objects are other text.
  for (std::string_view bad : {"{\"level\":\"warn\",\"msg\":\"x\"", "{\"level\" \"warn\"}",
                               "{\"a\":1}}", "{\"a\":\"unterminated}", "{level:1}"}) {
    INFO(bad);
    model::LogLine other = parse(bad, kRef);
    CHECK(other.shape == LogShape::kOther);
    CHECK(other.message == bad);
    CHECK(other.level == LogLevel::kUnknown);
    CHECK(other.source.empty());
  }
}

TEST_CASE("parse_log_text keeps malformed headers and other text as kOther", "[klog]") {
  for (std::string_view bad : {
           "E1128 garbage",
           "E1128 04:20:08.123456 garbage that is long enough",
           "E1328 04:20:08.123456       1 a.go:1] month 13",
           "E1100 04:20:08.123456       1 a.go:1] day 0",
           "E0231 04:20:08.123456       1 a.go:1] Feb 31",
           "E1128 24:20:08.123456       1 a.go:1] hour 24",
           "E1128 04:60:08.123456       1 a.go:1] minute 60",
           "E1128 04:20:08.       1 a.go:1] empty fraction",
           "X1128 04:20:08.123456       1 a.go:1] level X",
           "e1128 04:20:08.123456       1 a.go:1] lower case",
           "E1128 04:20:08.123456 a.go:1] no thread id",
           "E1128 04:20:08.123456       1 a.go] no line number",
           "E1128 04:20:08.123456       1 a.go:] empty line number",
           "E1128 04:20:08.123456       1 a.go:12 missing bracket",
           "E1128 04:20:08.123456       1 a.go:12]no space",
           "E1128 04:20:08.123456       1 :12] no file",
           "E1128  04:20:08.123456       1 a.go:1] two spaces",
           "goroutine 9 [running]:",
           "\tk8s.io/apiserver/pkg/server.(*x).y()",
       }) {
    INFO(bad);
    model::LogLine line = parse(bad, kRef);
    CHECK(line.shape == LogShape::kOther);
    CHECK(line.level == LogLevel::kUnknown);
    CHECK(line.time == kRef);
    CHECK(line.source.empty());
    CHECK(line.message == bad);
    CHECK(line.text == bad);
  }
  model::LogLine empty = parse("\r\n", kRef);
  CHECK(empty.shape == LogShape::kOther);
  CHECK(empty.message.empty());
  CHECK(empty.text.empty());
}

TEST_CASE("parse_log_text over the public klog sample", "[klog][public]") {
  std::ifstream in(KUBEBLAME_SHARED_SAMPLES_DIR "/kube-apiserver-klog-lines-from-issues.log");
  if (!in) {
    WARN("samples-public absent: skipped");
    return;
  }
  std::size_t counts[4] = {};
  std::size_t errors = 0;
  std::string text;
  std::size_t lines = 0;
  while (std::getline(in, text)) {
    ++lines;
    model::LogLine line;
    parse_log_text(text, ns(1688957170), line);
    ++counts[static_cast<int>(line.shape)];
    if (line.level == LogLevel::kError) ++errors;
    if (line.shape == LogShape::kKlog) CHECK(line.source.size() > 3);
  }
  CHECK(lines == 25);
  CHECK(counts[static_cast<int>(LogShape::kKlog)] == 23);
  CHECK(counts[static_cast<int>(LogShape::kContinuation)] == 1);
  CHECK(counts[static_cast<int>(LogShape::kJson)] == 1);
  CHECK(counts[static_cast<int>(LogShape::kOther)] == 0);
  CHECK(errors == 14);
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// Found by fuzz_log_text (signed overflow in the CRI timestamp): such a prefix is not a CRI
// prefix, so the line is plain text, counted, with no time.
TEST_CASE("a CRI prefix from beyond 2261 is text, not an overflow", "[klog]") {
  std::string_view text =
      "4202-12-31T11:39:07.945019289Z stderr F I1231 23:39:07.944523       1 controller.go:128] x";
  model::LogLine line;
  parse_log_text(text, 0, line);
  CHECK(line.shape == model::LogShape::kOther);
  CHECK(line.message == text);
  CHECK(line.time == 0);
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// Found by fuzz_record: a JSON log line whose "ts" has 11+ digits of epoch seconds overflowed.
TEST_CASE("a JSON log ts beyond int64 nanoseconds is no time", "[klog]") {
  model::LogLine line;
  parse_log_text(R"({"level":"error","ts":99999999999.5,"msg":"boom"})", 0, line);
  CHECK(line.shape == model::LogShape::kJson);
  CHECK(line.level == model::LogLevel::kError);
  CHECK(line.message == "boom");
  CHECK(line.time == 0);
  parse_log_text(R"({"level":"error","ts":1580306777.04728,"msg":"boom"})", 0, line);
  CHECK(line.time == 1'580'306'777'047'280'000LL);
}

}  // namespace
}  // namespace kubeblame::decode
