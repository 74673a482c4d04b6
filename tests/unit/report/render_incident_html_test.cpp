// `kubeblame report --format html`: hostile strings in every part of the report come out inert
// (only the renderer's own tags, no event-handler attribute, no control character, valid UTF-8),
// the page is complete and deterministic, and the sections come in order.
#include "kubeblame/report/render_incident_html.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "kubeblame/model/time.h"
#include "kubeblame/report/escape.h"

using namespace kubeblame;

namespace {

constexpr model::TimeNs kT0 = 1740470400LL * model::kNsPerSecond;  // 2025-02-25T08:00:00Z

const std::string kScript = "<script>alert(1)</script>";
const std::string kBreakout = "\"'><img src=x onerror=alert(2)>";
const std::string kCdata = "]]><svg onload=alert(3)>";
const std::string kControls = "bell\x07 esc\x1b[31m cr\r nul";
const std::string kBadUtf8 = "caf\xC3 \xFF\xFE end";

std::string hostile(const std::string& base) { return base + kScript + kBreakout + kCdata + kControls + kBadUtf8; }

report::Row top_row(const std::vector<std::string>& key, std::uint64_t requests, double cost) {
  report::Row row;
  row.key = key;
  row.metrics.requests = requests;
  row.metrics.share = 0.5;
  row.metrics.cost_s = cost;
  row.metrics.p99_ms = 1500;
  return row;
}

report::TimelineReport hostile_timeline() {
  report::TimelineReport t;
  t.by = {"agent"};
  t.top = 1;
  t.interval_s = 60;
  t.start = kT0;
  t.buckets = 3;
  t.series.push_back({{hostile("ua")}, 6, 0, {1, 2, 3}, {0, 0, 0}});
  t.other = {{}, 3, 0, {0, 3, 0}, {0, 0, 0}};
  t.other_groups = 2;
  t.total = {{}, 9, 0, {1, 5, 3}, {0, 0, 0}};
  return t;
}

report::FightRow hostile_fight() {
  report::FightRow f;
  f.kind = "fight";
  f.object = hostile("crd/");
  f.object_kind = hostile("Kind");
  f.api_group = hostile("group");
  f.writes = 10;
  f.flips = 9;
  f.per_hour = 3.5;
  f.writers = {{hostile("mgr-a"), hostile("user-a"), hostile("agent-a"), 5, 1, "patch", 'A'},
               {hostile("mgr-b"), hostile("user-b"), hostile("agent-b"), 5, 0, "update", 'B'}};
  f.fields = {{hostile(".spec.x"), {{hostile("mgr-a"), hostile("\"va\""), 'A'}, {hostile("mgr-b"), "1", 'B'}}}};
  f.bodies = true;
  f.pattern = "ABABABABA";
  f.first = kT0;
  f.last = kT0 + 3600 * model::kNsPerSecond;
  f.hint = "# " + hostile("yaml") + "\nspec:\n  name: " + hostile("v");
  return f;
}

report::IncidentReport hostile_report() {
  report::IncidentReport r;
  r.input.files = {hostile("dir/audit"), "-"};
  r.input.formats = {{"audit-jsonl", 9}};
  r.input.lines = 10;
  r.input.decoded = r.input.events = 9;
  r.input.requests = 9;
  r.input.skipped = {{"truncated", 1}};
  r.input.skipped_total = 1;
  r.input.first = kT0;
  r.input.last = kT0 + 179 * model::kNsPerSecond;
  r.input.samples = {hostile("audit.log:10: ")};
  r.input.warnings = {hostile("warning ")};
  r.top_agents.by = {"agent"};
  r.top_agents.rows = {top_row({hostile("ua")}, 6, 1.5)};
  r.top_agents.other = report::OtherRow{2, {}};
  r.top_user_verb_resource.by = {"user", "verb", "resource"};
  r.top_user_verb_resource.rows = {top_row({hostile("u"), "get", hostile("pods")}, 6, 1.5)};
  r.cost.by = {"agent", "verb", "resource"};
  r.cost.sort = "cost";
  r.cost.top = 10;
  r.cost.rows = {top_row({hostile("ua"), "list", hostile("pods")}, 6, 2.0),
                 top_row({"kubectl", "get", "pods"}, 3, 1.0)};
  report::ListSourceRow list{hostile("ua"), hostile("pods"), 3, 2, 1, 1.5, 1.25, 1.0};
  r.list_sources.rows = {list};
  r.list_sources.total = list;
  r.list_sources.etcd_no_resource_version = 2;
  r.errors.levels = "error,fatal";
  r.errors.total = 4;
  report::ErrorRow error;
  error.signature = hostile("409: ");
  error.source = "audit";
  error.codes = {{"409", 4}};
  error.count = 4;
  error.first = kT0;
  error.last = kT0 + 60 * model::kNsPerSecond;
  error.example = hostile("example ");
  error.callers = {{hostile("ua"), hostile("user"), hostile("as"), true, 4}};
  r.errors.rows = {error};
  r.fights.rows = {hostile_fight()};
  r.fights.objects_written = 1;
  r.fights.writes = 10;
  r.timeline = hostile_timeline();
  return r;
}

bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Every tag in the page: its name must be one the renderer writes, and no attribute may be an
// event handler. Escaped input cannot contain '<' or '>', so tags are exactly the <...> spans.
void check_tags(const std::string& html) {
  static const std::set<std::string> kAllowed = {
      "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
      "h1", "h2", "h3", "h4", "p", "div", "span", "strong", "dl", "dt", "dd", "table", "thead", "tbody",
      "tr", "th", "td", "code", "pre", "ul", "li", "a", "article", "wbr", "svg", "g", "rect", "line", "text"};
  std::size_t tags = 0;
  for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    std::size_t end = html.find('>', at);
    REQUIRE(end != std::string::npos);
    std::string tag = html.substr(at + 1, end - at - 1);
    if (tag.rfind("/", 0) == 0) tag.erase(0, 1);
    std::string name = tag.substr(0, tag.find_first_of(" />"));
    INFO(tag);
    CHECK(kAllowed.count(name) == 1);
    CHECK(tag.find(" on") == std::string::npos);
    CHECK(tag.find("javascript:") == std::string::npos);
    ++tags;
  }
  CHECK(tags > 100);
}

}  // namespace

TEST_CASE("report html: hostile strings come out inert everywhere", "[report][html]") {
  std::string html = report::render_incident_html(hostile_report());
  check_tags(html);
  CHECK(valid_utf8(html));
  for (char c : html) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20) CHECK(c == '\n');
    CHECK(byte != 0x7F);
  }
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("]]>") == std::string::npos);
  // The text is all there, as text: in table cells, SVG <title> tooltips, <pre>, attributes.
  const std::string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;"
                              "]]&gt;&lt;svg onload=alert(3)&gt;bell\\x07 esc\\x1b[31m cr\\x0d nul"
                              "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD end";
  CHECK(html.find("<code>dir/audit" + escaped + "</code>") != std::string::npos);
  CHECK(html.find("<code>&lt;stdin&gt;</code>") != std::string::npos);
  // Table keys may break after separators: the same escaped text with <wbr> after . / : @.
  CHECK(html.find("<td class=\"key\">" + report::escape_html_breakable(hostile("ua")) + "</td>") != std::string::npos);
  CHECK(report::escape_html_breakable(hostile("ua")).find("&lt;/<wbr>script&gt;") != std::string::npos);
  CHECK(html.find("<title>ua" + escaped + ": 2 requests, 2025-02-25 08:01:00Z (1m)</title>") != std::string::npos);
  CHECK(html.find("<span class=\"sw s0\"></span>ua" + escaped + " <span class=\"muted\">6</span>") !=
        std::string::npos);
  CHECK(html.find("<p class=\"warn\"><strong>warning:</strong> warning " + escaped + "</p>") != std::string::npos);
  CHECK(html.find("<pre># yaml" + escaped + "\nspec:\n  name: v" + escaped + "</pre>") != std::string::npos);
  CHECK(html.find("<td class=\"val\"><code>&quot;va&quot;" + escaped + "</code></td>") != std::string::npos);
  CHECK(html.find("<code>409: " + escaped + "</code>") != std::string::npos);
  CHECK(html.find("example: <code>example " + escaped + "</code>") != std::string::npos);
  // Attributes never carry input; the one that could (a kind badge's class) is escaped too.
  CHECK(html.find("<span class=\"badge fight\">fight</span>") != std::string::npos);
}

TEST_CASE("report html: a complete, self-contained page with the sections in order", "[report][html]") {
  report::IncidentReport r = hostile_report();
  std::string html = report::render_incident_html(r);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", 0) == 0);
  CHECK(html.size() > 1000);
  CHECK(html.substr(html.size() - 16) == "</body>\n</html>\n");
  CHECK(html.find("<title>kubeblame incident report · 2025-02-25 08:00:00Z → 2025-02-25 08:02:59Z (2m 59s)</title>") !=
        std::string::npos);
  CHECK(html.find("default-src 'none'; style-src 'unsafe-inline'") != std::string::npos);
  CHECK(html.find("@media (prefers-color-scheme:dark)") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("http") == html.find("http-equiv"));  // nothing fetched, no links out
  CHECK(html.find("http", html.find("http-equiv") + 1) == std::string::npos);
  std::size_t last = 0;
  for (const char* id : {"input", "timeline", "top-agents", "top-user-verb-resource", "cost", "list-sources", "errors",
                         "fights"}) {
    std::size_t at = html.find(std::string("<section id=\"") + id + "\"");
    INFO(id);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  CHECK(report::render_incident_html(r) == html);  // deterministic
}

TEST_CASE("report html: key numbers, tables with headers, accessible charts", "[report][html]") {
  std::string html = report::render_incident_html(hostile_report());
  CHECK(html.find("<span class=\"n\">9</span><span class=\"l\">requests</span>") != std::string::npos);
  CHECK(html.find("<span class=\"n\">2m 59s</span><span class=\"l\">time span</span>") != std::string::npos);
  CHECK(html.find("<span class=\"n\">4</span><span class=\"l\">errors</span>") != std::string::npos);
  CHECK(html.find("<dt>lines</dt><dd>10 = decoded 9 + filtered 0 + skipped 1 (truncated 1)</dd>") != std::string::npos);
  CHECK(html.find("<th scope=\"col\" class=\"num\">p99</th>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">1.50s</td>") != std::string::npos);
  CHECK(html.find("<tr class=\"other\"><td colspan=\"1\">(other: 2 groups)</td>") != std::string::npos);
  CHECK(html.find("<svg class=\"chart timeline\" viewBox=\"0 0 960.0 300.0\" role=\"img\" aria-label=\"Stacked bars: "
                  "requests per 1m by agent from 2025-02-25 08:00:00Z to 2025-02-25 08:03:00Z; 9 requests, peak 5 "
                  "at 2025-02-25 08:01:00Z\">") != std::string::npos);
  CHECK(html.find("<svg class=\"chart bars\" viewBox=\"0 0 960.0 60.0\" role=\"img\" aria-label=\"Horizontal bars: "
                  "Cost: API-server seconds by agent, verb and resource (top 10)\">") != std::string::npos);
  CHECK(html.find("<span class=\"sw so\"></span>(other: 2 groups) <span class=\"muted\">3</span>") != std::string::npos);
  CHECK(html.find("<p>3 LIST requests: 2 from etcd (66.7%), 1 from the watch cache") != std::string::npos);
}

TEST_CASE("report html: empty report still renders every section", "[report][html]") {
  report::IncidentReport r;
  r.errors.levels = "error,fatal";
  std::string html = report::render_incident_html(r);
  CHECK(html.find("<title>kubeblame incident report</title>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No requests with a timestamp.</p>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No requests.</p>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No LIST requests.</p>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No errors.</p>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No fights, conflict bursts or hot loops.</p>") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

TEST_CASE("escape_html and its variants", "[report][html][escape]") {
  CHECK(report::escape_html("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(report::escape_html("\x1b[1m\xE2\x80\xAE") == "\\x1b[1m\\u202e");
  CHECK(report::escape_html("\xC3") == "\xEF\xBF\xBD");
  CHECK(report::escape_html_breakable("system:serviceaccount:a/b.c@d") ==
        "system:<wbr>serviceaccount:<wbr>a/<wbr>b.<wbr>c@<wbr>d");
  CHECK(report::escape_html_breakable("&<") == "&amp;&lt;");
  CHECK(report::escape_html_lines("a<\nb\r\n\n") == "a&lt;\nb\\x0d\n\n");
}

namespace {

report::IncidentReport anatomy_report() {
  report::IncidentReport r = hostile_report();
  report::Row traced = top_row({hostile("ua"), "create", "pods"}, 4, 10.0);
  traced.metrics.traced = 2;
  traced.metrics.etcd_s = 1.5;
  traced.metrics.webhook_s = 6.0;
  traced.metrics.apf_wait_s = 0.5;
  r.cost.rows.insert(r.cost.rows.begin(), traced);
  report::Row webhook = top_row({"config/" + hostile("hook")}, 3, 9.0);
  webhook.metrics.failed_open = 2;
  r.webhooks.by = {"webhook"};
  r.webhooks.rows = {webhook};
  report::TopReport apf;
  apf.by = {"priority_level", "flow_schema"};
  apf.rows = {top_row({"aks-managed-apiserver-guard", hostile("fs")}, 5, 2.0)};
  r.apf = apf;
  r.apf_findings = {"guard " + hostile("finding")};
  return r;
}

}  // namespace

TEST_CASE("report html: where the time went, webhooks and APF, escaped", "[report][html]") {
  std::string html = report::render_incident_html(anatomy_report());
  check_tags(html);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  std::size_t last = html.find("<section id=\"list-sources\"");
  for (const char* id : {"time", "webhooks", "apf", "errors"}) {
    std::size_t at = html.find(std::string("<section id=\"") + id + "\"");
    INFO(id);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }
  // One stacked bar for the traced group: 1.5 + 6 + 0.5 + other 2 = 10 s over 470 units.
  std::string name = report::escape_html(hostile("ua")) + " create pods";
  CHECK(
      html.find("<rect class=\"s0\" x=\"390.0\" y=\"4.0\" width=\"70.5\" height=\"18.0\"><title>" +
                name + ": etcd 1.50 s</title></rect>") != std::string::npos);
  CHECK(html.find("<title>" + name + ": admission webhooks 6.00 s</title>") != std::string::npos);
  CHECK(html.find("<title>" + name + ": APF queue wait 0.50 s</title>") != std::string::npos);
  CHECK(html.find("<title>" + name + ": other 2.00 s</title>") != std::string::npos);
  CHECK(html.find("x=\"866.0\" y=\"17.0\">10.00 s</text>") != std::string::npos);
  CHECK(html.find("<li><span class=\"sw so\"></span>other</li></ul>") != std::string::npos);
  CHECK(html.find("aria-label=\"Stacked horizontal bars: Where the time went") !=
        std::string::npos);
  // Untraced groups are in the table, not in the chart.
  CHECK(html.find("<rect class=\"s0\" x=\"390.0\" y=\"30.0\"") == std::string::npos);
  CHECK(html.find("<th scope=\"col\" class=\"num\">other_s</th>") != std::string::npos);
  // The webhook with its configuration, the finding, the APF view and its finding: all text.
  CHECK(html.find("<td class=\"key\">" +
                  report::escape_html_breakable("config/" + hostile("hook")) + "</td>") !=
        std::string::npos);
  CHECK(html.find("<strong>finding:</strong> webhook " + report::escape_html(hostile("hook")) +
                  " (configuration config) failed open on 2 calls</p>") != std::string::npos);
  CHECK(html.find("<td class=\"key\">" + report::escape_html_breakable(hostile("fs")) + "</td>") !=
        std::string::npos);
  CHECK(html.find("<strong>finding:</strong> guard " + report::escape_html(hostile("finding")) +
                  "</p>") != std::string::npos);
}

TEST_CASE("report html: no anatomy sections without traced requests, webhooks or APF",
          "[report][html]") {
  std::string html = report::render_incident_html(hostile_report());
  for (const char* id : {"time", "webhooks", "apf"}) {
    INFO(id);
    CHECK(html.find(std::string("<section id=\"") + id + "\"") == std::string::npos);
  }
}
