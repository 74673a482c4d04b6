// LIST requests served from etcd vs the watch cache: the classification rule, exact counts
// per (agent, resource), what is left out, ranking and merge determinism.
#include "kubeblame/report/build.h"
#include "kubeblame/analyze/list_source.h"

#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/report/render_incident.h"

using namespace kubeblame;
using analyze::classify_list;
using analyze::ListSource;

namespace {

constexpr model::TimeNs kT0 = 1'700'000'000'000'000'000;

struct Request {
  std::string agent = "kubectl/v1.29.0 (linux/amd64) kubernetes/abcdef";
  std::string verb = "list";
  std::string resource = "pods";
  std::string uri = "/api/v1/pods";
  model::Stage stage = model::Stage::kResponseComplete;
  std::int64_t latency_ms = 100;
};

void feed(analyze::Analyzer& analyzer, const Request& r, std::uint64_t line) {
  model::AuditEvent event;
  event.stage = r.stage;
  event.verb = r.verb;
  event.user_agent = r.agent;
  event.username = "alice";
  event.request_uri = r.uri;
  event.has_object_ref = true;
  event.object_ref.resource = r.resource;
  event.object_ref.api_version = "v1";
  event.code = 200;
  event.received = kT0 + static_cast<model::TimeNs>(line) * 1'000'000'000;
  event.stage_time = event.received + r.latency_ms * 1'000'000;
  analyze::DimensionValues values;
  values.reset(event);
  analyzer.on_event(event, model::is_counted_request(event), values, analyze::EventPosition{0, line});
}

std::string describe(const report::ListSourcesReport& r) {
  std::ostringstream out;
  auto row = [&](const report::ListSourceRow& x) {
    out << x.agent << '|' << x.resource << '|' << x.lists << '|' << x.etcd << '|' << x.cache << '|'
        << x.cost_s << '|' << x.etcd_cost_s << '|' << x.share << '\n';
  };
  for (const auto& x : r.rows) row(x);
  out << "other " << r.other_rows << ": ";
  row(r.other);
  out << "total: ";
  row(r.total);
  out << r.etcd_no_resource_version << ',' << r.etcd_continue << ',' << r.etcd_limit << ','
      << r.etcd_exact << '\n';
  return out.str();
}

}  // namespace

TEST_CASE("classify_list follows the cacher's delegation rule", "[report]") {
  CHECK(classify_list("/api/v1/pods") == ListSource::kEtcdNoResourceVersion);
  CHECK(classify_list("/api/v1/pods?resourceVersion=") == ListSource::kEtcdNoResourceVersion);
  CHECK(classify_list("/api/v1/pods?limit=500") == ListSource::kEtcdNoResourceVersion);
  CHECK(classify_list("/api/v1/pods?resourceVersion=0") == ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/pods?limit=500&resourceVersion=0") == ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/namespaces/a/pods?fieldSelector=x%3Dy&resourceVersion=0&limit=0") ==
        ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/pods?resourceVersion=12345") == ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/pods?resourceVersion=12345&limit=500") == ListSource::kEtcdLimit);
  CHECK(classify_list("/api/v1/pods?resourceVersion=12345&limit=0") == ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/pods?resourceVersion=0&continue=abc&limit=500") == ListSource::kEtcdContinue);
  CHECK(classify_list("/api/v1/pods?resourceVersion=0&continue=") == ListSource::kWatchCache);
  CHECK(classify_list("/api/v1/pods?resourceVersion=5&resourceVersionMatch=Exact") == ListSource::kEtcdExact);
  CHECK(classify_list("/api/v1/pods?resourceVersion=5&resourceVersionMatch=NotOlderThan") ==
        ListSource::kWatchCache);
  // Only the exact parameter name counts; a path segment named like it does not.
  CHECK(classify_list("/api/v1/resourceVersion=0/pods?xresourceVersion=0") ==
        ListSource::kEtcdNoResourceVersion);
  CHECK(analyze::is_etcd(ListSource::kEtcdLimit));
  CHECK_FALSE(analyze::is_etcd(ListSource::kWatchCache));
}

TEST_CASE("LIST sources count exact LISTs per agent and resource; watches and others are left out",
          "[report]") {
  auto analyzer = analyze::list_source_analyzer_factory()();
  std::uint64_t line = 0;
  Request etcd;  // kubectl list pods from etcd, 100 ms each
  for (int i = 0; i < 3; ++i) feed(*analyzer, etcd, ++line);
  Request cache = etcd;
  cache.uri = "/api/v1/pods?resourceVersion=0";
  cache.latency_ms = 10;
  for (int i = 0; i < 2; ++i) feed(*analyzer, cache, ++line);
  Request operator_list;
  operator_list.agent = "my-operator/v0.1";
  operator_list.resource = "configmaps";
  operator_list.uri = "/api/v1/configmaps?limit=500&resourceVersion=42";
  operator_list.latency_ms = 2000;
  feed(*analyzer, operator_list, ++line);
  Request page = operator_list;
  page.uri = "/api/v1/configmaps?limit=500&continue=abc&resourceVersion=0";
  page.latency_ms = 1000;
  feed(*analyzer, page, ++line);
  // Left out: watches (also ?watch=true lists, logged with verb watch), gets, RequestReceived.
  Request watch = etcd;
  watch.verb = "watch";
  watch.uri = "/api/v1/pods?watch=true";
  feed(*analyzer, watch, ++line);
  Request get = etcd;
  get.verb = "get";
  feed(*analyzer, get, ++line);
  Request received = etcd;
  received.stage = model::Stage::kRequestReceived;
  feed(*analyzer, received, ++line);

  report::ListSourcesReport r = report::build_list_sources(analyze::analyzer_cast<analyze::ListSourceAnalyzer>(*analyzer), 0);
  CHECK(describe(r) ==
        "kubectl|pods|5|3|2|0.32|0.3|0.714286\n"
        "my-operator|configmaps|2|2|0|3|3|0.285714\n"
        "other 0: ||0|0|0|0|0|0\n"
        "total: ||7|5|2|3.32|3.3|1\n"
        "3,1,1,0\n");

  report::ListSourcesReport top1 = report::build_list_sources(analyze::analyzer_cast<analyze::ListSourceAnalyzer>(*analyzer), 1);
  REQUIRE(top1.rows.size() == 1);
  CHECK(top1.rows[0].agent == "kubectl");
  CHECK(top1.other_rows == 1);
  CHECK(top1.other.lists == 2);
  CHECK(top1.other.etcd == 2);
  CHECK(top1.other.cache == 0);
  CHECK(top1.other.cost_s == 3.0);
}

TEST_CASE("LIST sources: a LIST without a request URI (GKE) is counted apart, in no row", "[report]") {
  auto analyzer = analyze::list_source_analyzer_factory()();
  Request gke;
  gke.uri = "";
  feed(*analyzer, gke, 1);
  feed(*analyzer, gke, 2);
  Request raw;
  feed(*analyzer, raw, 3);
  auto& lists = analyze::analyzer_cast<analyze::ListSourceAnalyzer>(*analyzer);
  CHECK(lists.without_uri() == 2);
  report::ListSourcesReport r = report::build_list_sources(lists, 0);
  CHECK(r.without_uri == 2);
  CHECK(r.total.lists == 1);
  CHECK(report::no_list_rows(r) ==
        "2 LIST requests have no request URI (GKE logs none): where they were served is unknown.");
  CHECK(report::no_list_rows(report::ListSourcesReport{}) == "No LIST requests.");
  auto other = analyze::list_source_analyzer_factory()();
  feed(*other, gke, 4);
  analyzer->merge_same_type(*other);
  CHECK(lists.without_uri() == 3);
}

TEST_CASE("LIST sources merge to the same report however the events are split", "[report]") {
  std::vector<Request> requests;
  std::mt19937 rng(7);
  const char* agents[] = {"kubectl/v1", "helm/v3", "argocd-application-controller/v2", "kubelet/v1.29"};
  const char* resources[] = {"pods", "secrets", "configmaps"};
  const char* uris[] = {"/x", "/x?resourceVersion=0", "/x?limit=10&resourceVersion=9", "/x?continue=c&resourceVersion=0"};
  for (int i = 0; i < 400; ++i) {
    Request r;
    r.agent = agents[rng() % 4];
    r.resource = resources[rng() % 3];
    r.uri = uris[rng() % 4];
    r.latency_ms = static_cast<std::int64_t>(rng() % 500);
    requests.push_back(r);
  }
  auto whole = analyze::list_source_analyzer_factory()();
  for (std::size_t i = 0; i < requests.size(); ++i) feed(*whole, requests[i], i);
  const std::string expected = describe(report::build_list_sources(analyze::analyzer_cast<analyze::ListSourceAnalyzer>(*whole), 5));

  for (std::size_t parts : {2u, 3u, 7u}) {
    std::vector<std::unique_ptr<analyze::Analyzer>> shards;
    for (std::size_t p = 0; p < parts; ++p) shards.push_back(analyze::list_source_analyzer_factory()());
    for (std::size_t i = 0; i < requests.size(); ++i) feed(*shards[(i * 31 + i / 3) % parts], requests[i], i);
    // Merge in reverse order, pairwise, to differ from the feeding order.
    for (std::size_t p = parts - 1; p > 0; --p) shards[p - 1]->merge_same_type(*shards[p]);
    CHECK(describe(report::build_list_sources(analyze::analyzer_cast<analyze::ListSourceAnalyzer>(*shards[0]), 5)) == expected);
  }
}
