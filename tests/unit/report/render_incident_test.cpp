// `kubeblame report` renderers: hostile strings in the LIST-source section are escaped in every
// format, the sections come in order, the JSON parses with every part in place.
#include "kubeblame/report/render_incident.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <string>

using namespace kubeblame;

namespace {

report::IncidentReport hostile_report() {
  report::IncidentReport r;
  r.top = 1;
  r.input.files = {"audit.log"};
  r.input.lines = r.input.decoded = r.input.events = r.input.requests = 3;
  r.top_agents.by = {"agent"};
  r.top_user_verb_resource.by = {"user", "verb", "resource"};
  r.cost.by = {"agent", "verb", "resource"};
  r.cost.sort = "cost";
  report::ListSourceRow row;
  row.agent = "evil|`\x1b[31mred";
  row.resource = "pods\n# heading";
  row.lists = 3;
  row.etcd = 2;
  row.cache = 1;
  row.cost_s = 1.5;
  row.etcd_cost_s = 1.25;
  row.share = 0.75;
  r.list_sources.rows.push_back(row);
  r.list_sources.other_rows = 1;
  r.list_sources.other.lists = 1;
  r.list_sources.other.cache = 1;
  r.list_sources.other.share = 0.25;
  r.list_sources.total.lists = 4;
  r.list_sources.total.etcd = 2;
  r.list_sources.total.cache = 2;
  r.list_sources.total.cost_s = 1.5;
  r.list_sources.total.etcd_cost_s = 1.25;
  r.list_sources.total.share = 1;
  r.list_sources.etcd_no_resource_version = 1;
  r.list_sources.etcd_limit = 1;
  r.errors.levels = "error,fatal";
  return r;
}

}  // namespace

TEST_CASE("report markdown: sections in order, LIST rows escaped, totals and reasons", "[report]") {
  std::string md = report::render_incident_markdown(hostile_report());
  INFO(md);
  CHECK(md.find('\x1b') == std::string::npos);
  CHECK(md.find("| evil\\|\\`\\\\x1b\\[31mred | pods\\\\x0a# heading | 3 | 2 | 1 | 66.7% | 1.25 | 1.50 | 75.0% |") !=
        std::string::npos);
  CHECK(md.find("| *(other: 1 group)* | | 1 | 0 | 1 | 0.0% | 0.00 | 0.00 | 25.0% |") != std::string::npos);
  CHECK(md.find("- 4 LIST requests: 2 from etcd (50.0%), 2 from the watch cache · etcd LISTs cost 1.25 s of 1.50 s\n") !=
        std::string::npos);
  CHECK(md.find("- why etcd: no resourceVersion (consistent read) 1, limit with resourceVersion≠0 1\n") !=
        std::string::npos);
  std::size_t agents = md.find("### Top talkers by agent (top ");
  std::size_t uvr = md.find("### Top talkers by user, verb and resource");
  std::size_t cost = md.find("### Cost: API-server seconds");
  std::size_t lists = md.find("### LIST requests: etcd or watch cache");
  std::size_t errors = md.find("### Errors (log levels error,fatal)");
  std::size_t fights = md.find("### Fights and hot loops");
  CHECK(md.rfind("## kubeblame incident report\n\n- inputs: audit.log\n", 0) == 0);
  CHECK(agents < uvr);
  CHECK(uvr < cost);
  CHECK(cost < lists);
  CHECK(lists < errors);
  CHECK(errors < fights);
  CHECK(fights != std::string::npos);
}

TEST_CASE("report table: no control characters reach the terminal", "[report]") {
  std::string table = report::render_incident_table(hostile_report(), report::RenderOptions{});
  CHECK(table.find('\x1b') == std::string::npos);
  CHECK(table.find("evil|`\\x1b[31mred") != std::string::npos);
  CHECK(table.find("\nwhy etcd: no resourceVersion (consistent read) 1, limit with resourceVersion≠0 1\n") !=
        std::string::npos);
}

TEST_CASE("report json: one object with every part, LIST rows and reasons", "[report]") {
  std::string json = report::render_incident_json(hostile_report());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["command"]) == "report");
  CHECK(int64_t(doc["top"]) == 1);
  for (const char* part : {"input", "top_agents", "top_user_verb_resource", "cost", "list_sources", "errors", "fights"}) {
    CAPTURE(part);
    CHECK(doc[part].error() == simdjson::SUCCESS);
  }
  CHECK(std::string_view(doc["cost"]["sort"]) == "cost");
  simdjson::dom::element row = doc["list_sources"]["rows"].at(0);
  CHECK(std::string_view(row["agent"]) == "evil|`\x1b[31mred");
  CHECK(std::string_view(row["resource"]) == "pods\n# heading");
  CHECK(uint64_t(row["etcd"]) == 2);
  CHECK(uint64_t(doc["list_sources"]["other"]["groups"]) == 1);
  CHECK(uint64_t(doc["list_sources"]["other"]["cache"]) == 1);
  CHECK(uint64_t(doc["list_sources"]["etcd_reasons"]["limit"]) == 1);
  CHECK(uint64_t(doc["list_sources"]["total"]["lists"]) == 4);
  CHECK(std::string_view(doc["errors"]["levels"]) == "error,fatal");
  CHECK(doc["fights"]["excluded"].error() == simdjson::SUCCESS);
}
