// samples/controlplane through the whole pipeline: the five shapes of the same control-plane
// logs give the same log lines (text, instant, level, source, message; the component where the
// shape names it), and klog's missing year is taken from each record's time across New Year.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/model/time.h"
#include "kubeblame/pipeline/run.h"

namespace kubeblame::pipeline {
namespace {

using model::LogShape;

struct Seen {
  analyze::EventPosition position;
  LogShape shape = LogShape::kOther;
  model::LogLevel level = model::LogLevel::kUnknown;
  model::TimeNs time = 0;
  std::string component, source, message, text;
  decode::Format format = decode::Format::kUnknown;
};

class Collector : public analyze::AnalyzerOf<Collector> {
 public:
  void on_event(const model::AuditEvent&, bool, analyze::DimensionValues&,
                const analyze::EventPosition&) override {
    ++events;
  }
  void on_log_line(const model::LogLine& line, decode::Format format,
                   const analyze::EventPosition& position) override {
    seen.push_back({position, line.shape, line.level, line.time, std::string(line.component),
                    std::string(line.source), std::string(line.message), std::string(line.text),
                    format});
  }
  void merge(Collector& o) {
    seen.insert(seen.end(), o.seen.begin(), o.seen.end());
    events += o.events;
  }
  std::vector<Seen> seen;
  std::size_t events = 0;
};

std::vector<Seen> read_sample(const std::string& name, unsigned threads = 1,
                              std::size_t chunk = 1 << 20) {
  PipelineOptions options;
  options.inputs = {std::string(KUBEBLAME_SOURCE_DIR) + "/samples/controlplane/" + name};
  options.threads = threads;
  options.chunk_size = chunk;
  options.plan.groupings = {{analyze::Dimension::kAgent}};
  options.plan.analyzers = {[] { return std::make_unique<Collector>(); }};
  RunResult result = run(options);
  REQUIRE(result.errors.empty());
  auto& collector = result.merged->get<Collector>();
  CHECK(collector.events == 0);
  CHECK(result.merged->stats().skipped_total() == 0);
  CHECK(result.merged->stats().log_lines == collector.seen.size());
  std::vector<Seen> lines = collector.seen;
  std::sort(lines.begin(), lines.end(),
            [](const Seen& a, const Seen& b) { return a.position < b.position; });
  return lines;
}

// The fields every shape must agree on. Lines without a time of their own take the record's,
// which differs by shape (ingestion time, record time, CRI time): only their text counts.
using Key = std::tuple<std::string, model::TimeNs, int, int, std::string, std::string>;
std::vector<Key> keys(const std::vector<Seen>& lines, bool apiserver_only, bool with_component) {
  std::vector<Key> out;
  for (const Seen& s : lines) {
    if (apiserver_only && !(s.component == "kube-apiserver" || s.component.empty())) continue;
    bool own_time = s.shape == LogShape::kKlog || s.shape == LogShape::kJson;
    out.emplace_back(s.text, own_time ? s.time : 0, static_cast<int>(s.shape),
                     own_time ? static_cast<int>(s.level) : 0,
                     own_time ? s.source + "|" + s.message : s.message,
                     with_component ? s.component : std::string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("samples/controlplane: every shape gives the same log lines", "[controlplane]") {
  std::vector<Seen> az = read_sample("akscontrolplane-az.json");
  std::vector<Seen> rest = read_sample("akscontrolplane-rest.json");
  std::vector<Seen> csv = read_sample("akscontrolplane-portal.csv");
  std::vector<Seen> storage = read_sample("storage-kube-apiserver-PT1H.json");
  std::vector<Seen> text = read_sample("kube-apiserver.log");
  REQUIRE(az.size() == 355);
  REQUIRE(rest.size() == 355);
  REQUIRE(csv.size() == 355);
  REQUIRE(storage.size() == 355);
  REQUIRE(text.size() == 305);
  for (const Seen& s : az) CHECK(s.format == decode::Format::kControlPlaneAzJson);
  for (const Seen& s : rest) CHECK(s.format == decode::Format::kControlPlaneRest);
  for (const Seen& s : csv) CHECK(s.format == decode::Format::kControlPlaneCsv);
  for (const Seen& s : storage) CHECK(s.format == decode::Format::kAzureStorage);
  for (const Seen& s : text) {
    CHECK(s.format == decode::Format::kLogText);
    CHECK(s.component.empty());  // a log file does not say who wrote it
  }

  // The Azure shapes agree on everything, component included.
  std::vector<Key> reference = keys(az, false, true);
  CHECK(keys(rest, false, true) == reference);
  CHECK(keys(csv, false, true) == reference);
  CHECK(keys(storage, false, true) == reference);
  // The container log holds the kube-apiserver lines of all of them.
  std::vector<Key> apiserver = keys(az, true, false);
  CHECK(apiserver.size() == 305);
  CHECK(keys(text, true, false) == apiserver);

  std::map<std::string, std::size_t> components;
  for (const Seen& s : az) ++components[s.component];
  CHECK(components == std::map<std::string, std::size_t>{{"cluster-autoscaler", 12},
                                                         {"kube-apiserver", 305},
                                                         {"kube-controller-manager", 24},
                                                         {"kube-scheduler", 14}});
}

TEST_CASE("samples/controlplane: klog years across New Year, shapes and levels",
          "[controlplane]") {
  for (const char* name : {"akscontrolplane-az.json", "akscontrolplane-portal.csv",
                           "storage-kube-apiserver-PT1H.json", "kube-apiserver.log"}) {
    INFO(name);
    std::vector<Seen> lines = read_sample(name);
    std::map<int, std::size_t> shapes;
    std::size_t dec31 = 0, jan1 = 0, errors = 0;
    for (const Seen& s : lines) {
      ++shapes[static_cast<int>(s.shape)];
      if (s.shape != LogShape::kKlog) continue;
      model::CivilTime t = model::civil_from_ns(s.time);
      std::string mmdd = s.text.substr(1, 4);
      if (mmdd == "1231") {
        ++dec31;
        CHECK(t.year == 2024);
        CHECK((t.month == 12 && t.day == 31));
      } else {
        ++jan1;
        CHECK(mmdd == "0101");
        CHECK(t.year == 2025);
        CHECK((t.month == 1 && t.day == 1));
      }
      if (s.level == model::LogLevel::kError) ++errors;
      CHECK(s.time >= 1735688100100000000LL);  // 2024-12-31T23:35:00.1Z
      CHECK(s.time <= 1735691099750000000LL);  // 2025-01-01T00:24:59.75Z
    }
    CHECK(shapes[static_cast<int>(LogShape::kContinuation)] == 10);
    CHECK(shapes[static_cast<int>(LogShape::kJson)] == 4);
    CHECK(shapes[static_cast<int>(LogShape::kOther)] == 4);
    bool apiserver_only = std::string(name) == "kube-apiserver.log";
    CHECK(shapes[static_cast<int>(LogShape::kKlog)] == (apiserver_only ? 287 : 337));
    CHECK(errors == (apiserver_only ? 108 : 117));
    CHECK(dec31 + jan1 == (apiserver_only ? 287u : 337u));
    CHECK(dec31 > 100);
    CHECK(jan1 > 100);
  }
}

TEST_CASE("samples/controlplane: the same lines for any thread count and chunk size",
          "[controlplane]") {
  std::vector<Key> reference = keys(read_sample("akscontrolplane-az.json"), false, true);
  CHECK(keys(read_sample("akscontrolplane-az.json", 2, 4096), false, true) == reference);
  std::vector<Key> csv = keys(read_sample("akscontrolplane-portal.csv", 1), false, true);
  CHECK(keys(read_sample("akscontrolplane-portal.csv", 2, 333), false, true) == csv);
  std::vector<Key> text = keys(read_sample("kube-apiserver.log", 1), false, true);
  CHECK(keys(read_sample("kube-apiserver.log", 3, 100), false, true) == text);
}

}  // namespace
}  // namespace kubeblame::pipeline
