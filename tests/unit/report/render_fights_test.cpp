// `kubeblame fights` renderers: exact terminal output for a report carrying hostile strings
// (ESC, BEL, CR, invalid UTF-8, `|`, backticks, a leading `=`, a fence inside a hint), markdown
// escaping and fences, JSON parsed back against the contract, CSV cells, and the empty report.
#include "kubeblame/report/render_fights.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "kubeblame/model/time.h"

namespace kubeblame::report {
namespace {

constexpr model::TimeNs kT = 1719776474LL * model::kNsPerSecond;  // 2024-06-30T19:41:14Z

FightsReport sample_fights() {
  FightsReport r;
  r.input.files = {"audit.log"};
  r.input.formats = {{"audit-jsonl", 9}};
  r.input.lines = 9;
  r.input.decoded = 9;
  r.input.events = 9;
  r.input.requests = 9;
  r.input.first = kT;
  r.input.last = kT + 3600 * model::kNsPerSecond;
  r.objects_written = 3;
  r.writes = 9;
  r.excluded.lease_writes = 4;
  FightRow fight;
  fight.kind = "fight";
  fight.object = "configmaps/shop/cm\x1b[31m|`x`";
  fight.resource = "configmaps";
  fight.namespace_name = "shop";
  fight.name = "cm\x1b[31m|`x`";
  fight.object_kind = "ConfigMap";
  fight.writes = 6;
  fight.flips = 5;
  fight.window_writes = 6;
  fight.per_hour = 6;
  fight.conflicts = 2;
  fight.writers = {{"=cmd|' /C calc'!A0", "evil\xC3", "ag\x07", 3, 2, "patch", 'A'},
                   {"b (b)", "b", "b", 3, 0, "update", 'B'}};
  fight.fields = {{".data[\"k\\r\"]", {{"=cmd|' /C calc'!A0", "\"\x1b]0;x\x07\"", 'A'}, {"b (b)", "\"2\"", 'B'}}}};
  fight.fields_omitted = 1;
  fight.bodies = true;
  fight.pattern = "ABABAB";
  fight.first = kT;
  fight.last = kT + 3000 * model::kNsPerSecond;
  fight.hint = "# ArgoCD\nspec:\n  - ```\x1b[2J\n";
  r.rows.push_back(fight);
  FightRow loop;
  loop.kind = "hot-loop";
  loop.object = "configmaps/shop/loop";
  loop.resource = "configmaps";
  loop.namespace_name = "shop";
  loop.name = "loop";
  loop.writes = 300;
  loop.window_writes = 256;
  loop.flips_exact = false;
  loop.per_hour = 300;
  loop.writers = {{"l (l)", "l", "l", 300, 0, "update", 'A'}};
  loop.pattern = "\xE2\x80\xA6" "AAAA";
  loop.first = kT;
  loop.last = kT + 3600 * model::kNsPerSecond;
  loop.hint = "l (l) rewrites this object 300 times per hour: *bold* | pipe";
  r.rows.push_back(loop);
  r.other_rows = 1;
  return r;
}

TEST_CASE("render_fights_table: rows, legend, fields, hint, footer; escaped", "[fights][render]") {
  const std::string expected =
      "#  KIND      OBJECT                          FLIPS  PER HOUR  WRITES  CONFLICTS  PATTERN\n"
      "1  fight     configmaps/shop/cm\\x1b[31m|`x`      5       6.0       6          2  ABABAB\n"
      "2  hot-loop  configmaps/shop/loop               \xE2\x89\xA5" "0     300.0     300          0  \xE2\x80\xA6" "AAAA\n"
      "\n"
      "1. fight\n"
      "   object   configmaps/shop/cm\\x1b[31m|`x`\n"
      "   writers  A  =cmd|' /C calc'!A0  evil\xEF\xBF\xBD (ag\\x07)  3 writes, 2 conflicts (patch)\n"
      "            B  b (b)  3 writes (update)\n"
      "   when     2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 20:31:14Z (50m 00s) \xC2\xB7 6.0 flips/h\n"
      "   fields   .data[\"k\\r\"]\n"
      "              A  \"\\x1b]0;x\\x07\"\n"
      "              B  \"2\"\n"
      "            (1 more, see --max-fields)\n"
      "   hint     # ArgoCD\n"
      "            spec:\n"
      "              - ```\\x1b[2J\n"
      "\n"
      "2. hot-loop\n"
      "   object   configmaps/shop/loop\n"
      "   writers  A  l (l)  300 writes (update)\n"
      "   when     2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 20:41:14Z (1h 00m) \xC2\xB7 300.0 writes/h \xC2\xB7 flips over the latest 256 writes\n"
      "   hint     l (l) rewrites this object 300 times per hour: *bold* | pipe\n"
      "\n"
      "1 fight \xC2\xB7 0 conflict bursts \xC2\xB7 1 hot loop (+1 beyond --top) \xC2\xB7 3 objects written \xC2\xB7 9 writes\n"
      "left out as normal traffic: 4 lease writes\n"
      "lines 9 = decoded 9 + filtered 0 + skipped 0\n"
      "events 9 \xC2\xB7 requests 9 \xC2\xB7 2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 20:41:14Z (1h 00m)\n"
      "formats: audit-jsonl 9 \xC2\xB7 1 input\n";
  std::string text = render_fights(sample_fights(), OutputFormat::kTable, RenderOptions{});
  CHECK(text == expected);
  for (char control : {'\x1b', '\x07', '\r'}) CHECK(text.find(control) == std::string::npos);
  CHECK(simdjson::validate_utf8(text.data(), text.size()));
  std::string color = render_fights(sample_fights(), OutputFormat::kTable, RenderOptions{true});
  CHECK(color.rfind("\x1b[1m#  KIND", 0) == 0);
  CHECK(color.find("\x1b[1m1. fight\x1b[0m\n") != std::string::npos);
}

TEST_CASE("render_fights_table: fitted to 56 columns", "[fights][render]") {
  FightsReport report = sample_fights();
  report.rows[0].object = "customresourcedefinitions.apiextensions.k8s.io/subscriptions.dapr.io";
  report.rows[0].pattern = "ABABABABABABABABABABABABABABABAB\xE2\x80\xA6";
  report.rows[0].hint =
      "# ArgoCD (argocd-controller) keeps reverting what dapr-operator sets.\n"
      "spec:\n"
      "  - .spec.conversion.webhook.clientConfig.service.namespace\n";
  report.rows[1].pattern = "\xE2\x80\xA6" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  // The object gives way first (middle, down to 20), then the pattern (at the end, or at the
  // start for one that shows the latest writes); the numbers never. Detail lines get the 44
  // columns after the indent and label: writer identities move under their writer, comments of
  // a YAML hint wrap as comments, its other lines stay whole; sentences wrap.
  const std::string expected =
      "#  KIND      OBJECT                FLIPS  PER HOUR  WRITES  CONFLICTS  PATTERN\n"
      "1  fight     customreso…s.dapr.io      5       6.0       6          2  ABABABA\xE2\x80\xA6\n"
      "2  hot-loop  configmaps/shop/loop     \xE2\x89\xA5" "0     300.0     300          0  \xE2\x80\xA6" "AAAAAAA\n"
      "\n"
      "1. fight\n"
      "   object   customresourcedefiniti…subscriptions.dapr.io\n"
      "   writers  A  =cmd|' /C calc'!A0 …, 2 conflicts (patch)\n"
      "               evil\xEF\xBF\xBD (ag\\x07)\n"
      "            B  b (b)  3 writes (update)\n"
      "   when     2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 20:31:14Z\n"
      "            (50m 00s) \xC2\xB7 6.0 flips/h\n"
      "   fields   .data[\"k\\r\"]\n"
      "              A  \"\\x1b]0;x\\x07\"\n"
      "              B  \"2\"\n"
      "            (1 more, see --max-fields)\n"
      "   hint     # ArgoCD (argocd-controller) keeps reverting\n"
      "            # what dapr-operator sets.\n"
      "            spec:\n"
      "              - .spec.conversion.webhook.clientConfig.service.namespace\n"
      "\n"
      "2. hot-loop\n"
      "   object   configmaps/shop/loop\n"
      "   writers  A  l (l)  300 writes (update)\n"
      "   when     2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 20:41:14Z\n"
      "            (1h 00m) \xC2\xB7 300.0 writes/h \xC2\xB7\n"
      "            flips over the latest 256 writes\n"
      "   hint     l (l) rewrites this object 300 times per\n"
      "            hour: *bold* | pipe\n";
  CHECK(render_fights_table_body(report, RenderOptions{false, 56}) == expected);
}

TEST_CASE("render_fights_markdown: escaped cells, fence longer than any backtick run", "[fights][render]") {
  std::string text = render_fights(sample_fights(), OutputFormat::kMarkdown, RenderOptions{});
  CHECK(text.rfind("### kubeblame fights\n\n| # | kind | object | writers |", 0) == 0);
  CHECK(text.find("| 1 | fight | configmaps/shop/cm\\\\x1b\\[31m\\|\\`x\\` | A =cmd\\|' /C calc'!A0, B b (b) | 5 | 6.0 | 6 | 2 | `ABABAB` |") !=
        std::string::npos);
  CHECK(text.find("\n````yaml\n# ArgoCD\nspec:\n  - ```\\x1b[2J\n````\n") != std::string::npos);
  CHECK(text.find("**Hint:** l (l) rewrites this object 300 times per hour: \\*bold\\* \\| pipe\n") !=
        std::string::npos);
  CHECK(text.find("- .data\\[\"k\\\\r\"\\]: **A** \"\\\\x1b\\]0;x\\\\x07\", **B** \"2\"\n") != std::string::npos);
  CHECK(text.find("flips \xE2\x89\xA5" "0 (over the latest 256 writes)") != std::string::npos);
  for (char control : {'\x1b', '\x07', '\r'}) CHECK(text.find(control) == std::string::npos);
  FightsReport empty;
  CHECK(render_fights_markdown(empty).find("*No fights, conflict bursts or hot loops.*") != std::string::npos);
}

TEST_CASE("render_fights_json: the docs/json.md, parsed back", "[fights][render]") {
  FightsReport report = sample_fights();
  report.excluded.normal_writes[1] = {240, 2};  // cluster-autoscaler-status
  report.rows[1].normal_write = 0;              // hpa-status
  report.rows[1].normal_write_factor = 7.5041;
  std::string text = render_fights(report, OutputFormat::kJson, RenderOptions{});
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(text).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["command"]) == "fights");
  CHECK(int64_t(doc["objects_written"]) == 3);
  CHECK(int64_t(doc["other"]["rows"]) == 1);
  CHECK(int64_t(doc["excluded"]["lease_writes"]) == 4);
  CHECK(int64_t(doc["input"]["lines"]) == 9);
  simdjson::dom::array rows = doc["rows"];
  REQUIRE(rows.size() == 2);
  simdjson::dom::element row = rows.at(0);
  std::vector<std::string> keys;
  for (auto field : simdjson::dom::object(row)) keys.emplace_back(field.key);
  CHECK(keys == std::vector<std::string>{"kind", "object", "resource", "namespace", "name",
                                         "api_group", "object_kind", "writes", "flips",
                                         "flips_exact", "window_writes", "per_hour", "conflicts",
                                         "writers", "fields", "fields_omitted", "bodies",
                                         "fields_kept", "bodies_too_big", "pattern", "first",
                                         "last", "hint", "normal_write"});
  CHECK(std::string_view(row["object"]) == "configmaps/shop/cm\x1b[31m|`x`");
  CHECK(double(row["per_hour"]) == 6.0);
  CHECK(std::string_view(row["first"]) == "2024-06-30T19:41:14Z");
  CHECK(std::string_view(row["writers"].at(0)["writer"]) == "=cmd|' /C calc'!A0");
  CHECK(std::string_view(row["writers"].at(0)["user"]) == "evil\xEF\xBF\xBD");
  CHECK(int64_t(row["writers"].at(0)["conflicts"]) == 2);
  CHECK(std::string_view(row["fields"].at(0)["path"]) == ".data[\"k\\r\"]");
  CHECK(std::string_view(row["fields"].at(0)["values"].at(0)["value"]) == "\"\x1b]0;x\x07\"");
  CHECK(bool(row["bodies"]));
  CHECK_FALSE(bool(rows.at(1)["flips_exact"]));
  CHECK(row["normal_write"].is_null());
  CHECK(std::string_view(rows.at(1)["normal_write"]["entry"]) == "hpa-status");
  CHECK(double(rows.at(1)["normal_write"]["period_s"]) == 15.0);
  CHECK(double(rows.at(1)["normal_write"]["times_faster"]) == 7.504);
  // Every catalog entry under excluded.normal_writes, in catalog order, zeros included.
  std::vector<std::string> entries;
  for (auto field : simdjson::dom::object(doc["excluded"]["normal_writes"])) {
    entries.emplace_back(field.key);
  }
  CHECK(entries == std::vector<std::string>{"hpa-status", "cluster-autoscaler-status",
                                            "endpointslices", "endpoints", "cronjob-status",
                                            "job-status", "vpa-status", "vpa-checkpoints"});
  CHECK(int64_t(doc["excluded"]["normal_writes"]["hpa-status"]["writes"]) == 0);
  CHECK(int64_t(doc["excluded"]["normal_writes"]["cluster-autoscaler-status"]["writes"]) == 240);
  CHECK(int64_t(doc["excluded"]["normal_writes"]["cluster-autoscaler-status"]["objects"]) == 2);
  CHECK(text.find('\x1b') == std::string::npos);  // escaped as \u001b
}

TEST_CASE("render_fights_csv: one row per fight, formula-guarded cells", "[fights][render]") {
  std::string text = render_fights(sample_fights(), OutputFormat::kCsv, RenderOptions{});
  CHECK(text.rfind("rank,kind,object,resource,namespace,name,api_group,object_kind,writes,flips,"
                   "flips_exact,window_writes,per_hour,conflicts,writers,fields,bodies,pattern,"
                   "first,last,hint\r\n1,fight,",
                   0) == 0);
  CHECK(text.find(",ConfigMap,6,5,true,6,6,2,\"A==cmd|' /C calc'!A0 (3 writes, 2 conflicts); B=b (b) (3 writes, 0 conflicts)\",") !=
        std::string::npos);
  // Cells are terminal-escaped; a cell starting with '=' would get a ' prefix.
  CHECK(text.find(",\".data[\"\"k\\r\"\"]: A=\"\"\\x1b]0;x\\x07\"\" B=\"\"2\"\"\",true,ABABAB,") != std::string::npos);
  CHECK(text.find("\r\n2,hot-loop,configmaps/shop/loop,configmaps,shop,loop,,,300,0,false,256,300,0,") !=
        std::string::npos);
  CHECK(text.find(",\"# ArgoCD\nspec:\n  - ```\\x1b[2J\n\"\r\n") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  FightsReport empty;
  std::string header = render_fights_csv(empty);
  CHECK(std::count(header.begin(), header.end(), '\n') == 1);
}

TEST_CASE("render_fights_table: the empty report says so", "[fights][render]") {
  FightsReport empty;
  std::string text = render_fights_table(empty, RenderOptions{});
  CHECK(text.rfind("#  KIND  OBJECT  FLIPS  PER HOUR  WRITES  CONFLICTS  PATTERN\n"
                   "(no fights, conflict bursts or hot loops)\n\n"
                   "0 fights \xC2\xB7 0 conflict bursts \xC2\xB7 0 hot loops \xC2\xB7 0 objects written \xC2\xB7 0 writes\n",
                   0) == 0);
}

}  // namespace
}  // namespace kubeblame::report
