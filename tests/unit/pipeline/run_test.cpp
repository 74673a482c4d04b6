// pipeline::run end to end on files written by the test: every format at once, and the same
// merged numbers and rendered JSON for any thread count and chunk size.
#include "kubeblame/pipeline/run.h"

#include <catch2/catch.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>

#include "../io/piece_source.h"
#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/model/time.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render.h"

namespace kubeblame::pipeline {
namespace {

using analyze::Dimension;

std::string audit_jsonl() {
  const char* verbs[] = {"get", "list", "watch", "patch", "create"};
  const char* agents[] = {"kubectl/v1.30.0 (linux/amd64)", "argocd-application-controller/v2.9",
                          "kubelet/v1.29"};
  const int codes[] = {200, 200, 200, 409, 500};
  std::string text;
  for (int i = 0; i < 30; ++i) {
    char times[160];
    std::snprintf(times, sizeof(times),
                  R"("requestReceivedTimestamp":"2024-06-30T19:41:%02d.100000Z","stageTimestamp":"2024-06-30T19:41:%02d.%06dZ")",
                  10 + i, 10 + i, 100000 + (i + 1) * 1500);
    text += R"({"kind":"Event","auditID":"id-)" + std::to_string(i) +
            R"(","stage":"ResponseComplete","verb":")" + verbs[i % 5] + R"(","userAgent":")" +
            agents[i % 3] + R"(","user":{"username":"user-)" + std::to_string(i % 4) +
            R"("},"objectRef":{"resource":"pods","namespace":"ns-)" + std::to_string(i % 3) +
            R"(","name":"p-)" + std::to_string(i % 7) + R"("},"responseStatus":{"code":)" +
            std::to_string(codes[i % 5]) + "}," + times + "}\n";
    if (i == 10) text += "{\"a\":1,,}\n\n";
    if (i == 20) text += R"({"kind":"Event","verb":"get","stage":"RequestReceived","requestReceivedTimestamp":"2024-06-30T19:40:00Z"})" "\n";
  }
  text += R"({"kind":"Event","verb":"get","user":{"username":"trunc)";
  return text;
}

const char* const kAzJson = R"([
  {
    "TableName": "PrimaryResult",
    "TimeGenerated": "2024-06-30T19:45:00Z",
    "Verb": "update",
    "UserAgent": "kubectl/v1.30.0",
    "User": "{\"username\":\"aks-user\"}",
    "ObjectRef": "{\"resource\":\"configmaps\",\"namespace\":\"default\",\"name\":\"cm\"}",
    "ResponseStatus": "{\"code\":409}",
    "Stage": "ResponseComplete",
    "RequestReceivedTime": "2024-06-30T19:44:00.000Z",
    "StageReceivedTime": "2024-06-30T19:44:00.250Z"
  },
  {"Verb": "get", "UserAgent": "None", "Stage": "ResponseComplete", "ResponseStatus": "{\"code\":200}",
   "RequestReceivedTime": "2024-06-30T19:44:01Z", "StageReceivedTime": "2024-06-30T19:44:01.002Z"},
  {"Verb": "list", "UserAgent": "kubelet/v1.29", "Stage": "ResponseComplete",
   "RequestReceivedTime": "2024-06-30T19:44:02Z", "StageReceivedTime": "2024-06-30T19:44:02.010Z"}
]
)";

const char* const kCsv =
    "\xEF\xBB\xBFTimeGenerated [UTC],Verb,UserAgent,ResponseStatus,Stage,Comment\r\n"
    "\"6/30/2024, 7:46:00.000 PM\",delete,kubectl/v1.30.0,\"{\"\"code\"\":200}\",ResponseComplete,\"two\r\nlines\"\r\n"
    "\"6/30/2024, 7:46:01.500 PM\",get,kubectl/v1.30.0,\"{\"\"code\"\":404}\",ResponseComplete,\r\n";

const char* const kEventHub = R"({
  "records": [
    {"time": "2024-06-30T19:47:00Z", "category": "kube-audit",
     "properties": {"log": "{\"kind\":\"Event\",\"verb\":\"watch\",\"stage\":\"ResponseComplete\",\"userAgent\":\"kube-scheduler/v1.29\",\"responseStatus\":{\"code\":200}}\n"}},
    {"time": "2024-06-30T19:47:01Z", "category": "kube-apiserver",
     "properties": {"log": "E0630 19:47:01.000000       1 status.go:71] boom"}},
    {"time": "2024-06-30T19:47:02Z", "category": "kube-audit-admin",
     "properties": {"log": {"kind": "Event", "verb": "patch", "userAgent": "argocd-application-controller/v2.9", "responseStatus": {"code": 200}}}}
  ]
}
)";

std::string old_events() {
  std::string text;
  for (int i = 0; i < 5; ++i) {
    text += R"({"level":"Metadata","timestamp":"2017-03-21T07:57:0)" + std::to_string(i) +
            R"(Z","verb":"list","requestURI":"/api/v1/nodes","user":{"username":"admin"}})" "\n";
  }
  return text;
}

struct Inputs {
  test::TempDir dir;
  std::vector<std::string> paths;
  Inputs() {
    paths.push_back(dir.write("a/audit.jsonl", audit_jsonl()));
    paths.push_back(dir.write("b/az.json", kAzJson));
    paths.push_back(dir.write("c/export.csv", kCsv));
    paths.push_back(dir.write("d/PT1H.json", kEventHub));
    paths.push_back(dir.write("e/old.log.gz", test::gzip(old_events())));
  }
};

PipelineOptions options_for(const std::vector<std::string>& paths, unsigned threads,
                            std::size_t chunk_size) {
  PipelineOptions options;
  options.inputs = paths;
  options.threads = threads;
  options.chunk_size = chunk_size;
  options.plan.groupings = {{Dimension::kAgent}, {Dimension::kVerb, Dimension::kCode},
                            {Dimension::kObject}};
  return options;
}

std::size_t fmt(decode::Format f) { return static_cast<std::size_t>(f); }
std::size_t why(decode::SkipReason r) { return static_cast<std::size_t>(r); }

TEST_CASE("pipeline::run reads every format in one run", "[pipeline]") {
  Inputs inputs;
  RunResult result = run(options_for(inputs.paths, 1, 1 << 20));
  CHECK(result.errors.empty());
  REQUIRE(result.inputs.size() == 5);
  CHECK(result.inputs[0].framing == decode::Framing::kLines);
  CHECK(result.inputs[0].decoder == decode::DecoderKind::kAuditEvent);
  CHECK(result.inputs[1].framing == decode::Framing::kJsonDocument);
  CHECK(result.inputs[1].decoder == decode::DecoderKind::kLaRow);
  CHECK(result.inputs[2].framing == decode::Framing::kCsv);
  CHECK(result.inputs[2].bytes == std::string(kCsv).size());
  CHECK(result.inputs[3].decoder == decode::DecoderKind::kAzureRecord);
  CHECK(result.inputs[4].encoding == "gzip");
  CHECK(result.inputs[4].bytes == old_events().size());

  const analyze::InputStats& s = result.merged->stats();
  CHECK(s.events == 43);    // 31 + 3 + 2 + 2 + 5
  CHECK(s.requests == 42);  // all but the RequestReceived event
  CHECK(s.decoded == 44);   // the events and the kube-apiserver log line
  CHECK(s.log_lines == 1);
  CHECK(s.skipped_total() == 3);
  CHECK(s.skipped[why(decode::SkipReason::kMalformedJson)] == 1);
  CHECK(s.skipped[why(decode::SkipReason::kBlank)] == 1);  // the empty line after line 10
  CHECK(s.skipped[why(decode::SkipReason::kTruncated)] == 1);
  CHECK(s.skipped[why(decode::SkipReason::kNotAudit)] == 0);
  CHECK(s.lines == 47);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(s.formats[fmt(decode::Format::kAuditJsonLines)] == 38);
  CHECK(s.formats[fmt(decode::Format::kAksAuditAzJson)] == 3);
  CHECK(s.formats[fmt(decode::Format::kAksAuditCsv)] == 2);
  CHECK(s.formats[fmt(decode::Format::kAzureEventHub)] == 3);
  REQUIRE(s.samples.size() == 2);
  CHECK((s.samples[0].input == 0 && s.samples[0].line == 12));  // the malformed line
  CHECK((s.samples[1].input == 0 && s.samples[1].line == 34));  // the truncated last line
  CHECK(s.first == 1490083020LL * model::kNsPerSecond);        // 2017-03-21T07:57:00Z
  CHECK(s.last == 1719776822LL * model::kNsPerSecond);  // 2024-06-30T19:47:02Z
}

struct Outcome {
  analyze::InputStats stats;
  std::vector<std::string> json;
};

Outcome outcome_of(const std::vector<std::string>& paths, unsigned threads, std::size_t chunk_size) {
  RunResult result = run(options_for(paths, threads, chunk_size));
  REQUIRE(result.errors.empty());
  Outcome out;
  out.stats = result.merged->stats();
  report::InputSummary input = report::build_input_summary(out.stats, paths);
  for (const analyze::GroupTable& table : result.merged->tables()) {
    for (std::size_t top : {0, 3}) {
      for (report::SortKey sort : {report::SortKey::kRequests, report::SortKey::kP99}) {
        out.json.push_back(report::render_top_json(report::build_top(table, input, sort, top)));
      }
    }
  }
  return out;
}

TEST_CASE("pipeline::run gives identical results for any threads and chunk size", "[pipeline]") {
  Inputs inputs;
  Outcome reference = outcome_of(inputs.paths, 1, 1 << 20);
  REQUIRE(reference.json.size() == 12);
  CHECK(reference.json[0].find("\"other\":null") != std::string::npos);
  CHECK(reference.json[2].find("\"other\":{\"groups\":") != std::string::npos);
  for (unsigned threads : {1u, 2u, 8u}) {
    for (std::size_t chunk_size : {std::size_t{1}, std::size_t{7}, std::size_t{64},
                                   std::size_t{4096}, std::size_t{1} << 20}) {
      INFO("threads " << threads << ", chunk_size " << chunk_size);
      Outcome got = outcome_of(inputs.paths, threads, chunk_size);
      CHECK(got.stats.lines == reference.stats.lines);
      CHECK(got.stats.decoded == reference.stats.decoded);
      CHECK(got.stats.events == reference.stats.events);
      CHECK(got.stats.requests == reference.stats.requests);
      CHECK(got.stats.skipped == reference.stats.skipped);
      CHECK(got.stats.formats == reference.stats.formats);
      CHECK(got.stats.first == reference.stats.first);
      CHECK(got.stats.last == reference.stats.last);
      REQUIRE(got.json.size() == reference.json.size());
      for (std::size_t i = 0; i < got.json.size(); ++i) CHECK(got.json[i] == reference.json[i]);
    }
  }
}

TEST_CASE("pipeline::run counts over-long lines and records once, at any chunk size",
          "[pipeline][regression]") {
  test::TempDir dir;
  const std::string event = R"({"verb":"get","stage":"ResponseComplete"})";
  const std::string long_event = R"({"verb":"get","requestURI":"/)" + std::string(200, 'x') + "\"}";
  std::vector<std::string> paths{
      dir.write("lines.jsonl", event + "\n" + long_event + "\n" + event + "\n"),
      dir.write("doc.json", "[\n" + event + ",\n" + long_event + ",\n" + event + "\n]\n")};
  for (std::size_t chunk_size : {std::size_t{1}, std::size_t{16}, std::size_t{100}, std::size_t{4096}}) {
    PipelineOptions options = options_for(paths, 2, chunk_size);
    options.max_line = 100;
    RunResult result = run(options);
    const analyze::InputStats& s = result.merged->stats();
    INFO("chunk_size " << chunk_size);
    CHECK(s.events == 4);
    CHECK(s.skipped[why(decode::SkipReason::kTooLong)] == 2);
    CHECK(s.lines == 6);
    REQUIRE(s.samples.size() == 2);
    CHECK((s.samples[0].input == 0 && s.samples[0].line == 2));
    CHECK((s.samples[1].input == 1 && s.samples[1].line == 3));
  }
}

TEST_CASE("pipeline::run reports an unreadable input and reads the others", "[pipeline]") {
  Inputs inputs;
  std::string missing = (inputs.dir.path() / "missing.log").string();
  RunResult result = run(options_for({inputs.paths[4], missing, inputs.paths[1]}, 2, 4096));
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] == missing + ": No such file or directory");
  CHECK(result.merged->stats().events == 8);  // 5 old events + 3 rows

  std::string broken = inputs.dir.write("broken.gz", test::gzip(old_events()).substr(0, 30));
  RunResult cut = run(options_for({broken, inputs.paths[1]}, 1, 4096));
  REQUIRE(cut.errors.size() == 1);
  CHECK(cut.errors[0].find("truncated") != std::string::npos);
  CHECK(cut.merged->stats().events >= 3);
}

// Records the nice value of the thread that sees the events: a worker.
class NiceProbe : public analyze::AnalyzerOf<NiceProbe> {
 public:
  explicit NiceProbe(std::atomic<int>& seen) : seen_(seen) {}
  void on_event(const model::AuditEvent&, bool, analyze::DimensionValues&,
                const analyze::EventPosition&) override {
    errno = 0;
    int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
    if (errno == 0) seen_.store(nice);
  }
  void on_log_line(const model::LogLine&, decode::Format, const analyze::EventPosition&) override {}
  void merge(NiceProbe&) {}

 private:
  std::atomic<int>& seen_;
};

TEST_CASE("pipeline::run's workers run 5 nice levels below the reader", "[pipeline]") {
  Inputs inputs;
  errno = 0;
  int reader_nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  REQUIRE(errno == 0);
  std::atomic<int> seen{-100};
  PipelineOptions options = options_for({inputs.paths[0]}, 2, 4096);
  options.plan.analyzers.push_back([&seen] { return std::make_unique<NiceProbe>(seen); });
  RunResult result = run(options);
  CHECK(result.merged->stats().events > 0);
  CHECK(seen.load() == std::min(reader_nice + 5, 19));
  // The reader (this thread) keeps its priority.
  CHECK(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())) == reader_nice);
}

}  // namespace
}  // namespace kubeblame::pipeline
