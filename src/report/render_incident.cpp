// `kubeblame report`: one document from the parts of one pass. Sections reuse the standalone
// renderers' bodies so a table looks the same here as in `top`, `errors` or `fights`; the input
// summary comes once, first. Every string from the input is escaped by the renderer it goes to.
#include "kubeblame/report/render_incident.h"

#include <fmt/format.h>
#include <kubeblame/version.h>

#include <algorithm>
#include <array>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_errors.h"
#include "kubeblame/report/render_fights.h"
#include "kubeblame/report/render_incident_html.h"
#include "kubeblame/report/render_timeline.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

std::string no_list_rows(const ListSourcesReport& report) {
  if (report.without_uri == 0) return "No LIST requests.";
  return plural(report.without_uri, "LIST request has", "LIST requests have") +
         " no request URI (GKE logs none): where they were served is unknown.";
}

namespace {

constexpr std::size_t kMaxFilesListed = 10;
constexpr std::size_t kMinKeyWidth = 21;  // "argocd-app…controller"

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return whole > 0 ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole))
                   : "-";
}

// "audit.log, audit-2.log.gz and 3 more" (unescaped).
std::string files_text(const std::vector<std::string>& files) {
  std::string out;
  for (std::size_t i = 0; i < files.size() && i < kMaxFilesListed; ++i) {
    if (i > 0) out += ", ";
    out += files[i] == "-" ? "<stdin>" : files[i];
  }
  if (files.size() > kMaxFilesListed) {
    out += " and " + format_count(files.size() - kMaxFilesListed) + " more";
  }
  return out;
}

std::string top_title(const TopReport& top, std::string_view what) {
  return fmt::format("{} (top {})", what, top.top == 0 ? std::string("all") : std::to_string(top.top));
}

struct Section {
  std::string title;
  const TopReport* top;
};

std::array<Section, 3> top_sections(const IncidentReport& report) {
  return {Section{top_title(report.top_agents, "Top talkers by agent"), &report.top_agents},
          Section{top_title(report.top_user_verb_resource, "Top talkers by user, verb and resource"),
                  &report.top_user_verb_resource},
          Section{top_title(report.cost, "Cost: API-server seconds by agent, verb and resource"),
                  &report.cost}};
}

const char* kListSourcesTitle = "LIST requests: etcd or watch cache";
const char* kErrorsTitle = "Errors";
const char* kFightsTitle = "Fights and hot loops";

std::string timeline_title(const TimelineReport& timeline) {
  return fmt::format("Timeline: requests over time by agent (top {})",
                     timeline.top == 0 ? std::string("all") : std::to_string(timeline.top));
}
const char* kListNote =
    "A LIST without resourceVersion (or with limit/continue and resourceVersion other than 0) "
    "reads the whole collection from etcd; resourceVersion=0 is served from the API server's "
    "watch cache (Kubernetes 1.31+ with ConsistentListFromCache serves more from the cache).";

std::vector<std::string> list_cells(const ListSourceRow& row) {
  return {format_count(row.lists), format_count(row.etcd), format_count(row.cache),
          percent(row.etcd, row.lists), format_fixed(row.etcd_cost_s, 2), format_fixed(row.cost_s, 2),
          fmt::format("{:.1f}%", row.share * 100.0)};
}
constexpr std::array<std::string_view, 7> kListHeaders = {"lists", "etcd", "cache", "etcd %",
                                                          "etcd cost_s", "cost_s", "share"};

// ---- table ---------------------------------------------------------------------------------

// The title (wrapped to the terminal) over a rule as wide as its widest line.
std::string heading(std::string_view title, const RenderOptions& options) {
  Style style(options.color);
  std::string out;
  std::size_t rule_width = 0;
  for (const std::string& line : wrap_words(title, options.width)) {
    out += style.header(line) + '\n';
    rule_width = std::max(rule_width, display_width(line));
  }
  for (std::size_t i = 0; i < rule_width; ++i) out += "\xE2\x94\x80";  // ─
  return out + '\n';
}

// AGENT, RESOURCE (shortened in the middle when the terminal is narrow), then the numbers.
TerminalTable list_sources_table(const ListSourcesReport& report) {
  TerminalTable table;
  table.columns = {{false, Shorten::kMiddle, kMinKeyWidth, 0}, {false, Shorten::kMiddle, kMinKeyWidth, 0}};
  std::vector<std::string> header = {"AGENT", "RESOURCE"};
  for (std::string_view h : kListHeaders) {
    header.push_back(upper(h));
    table.columns.push_back({true, Shorten::kNever, 0, 0});
  }
  table.rows.push_back(std::move(header));
  for (const ListSourceRow& row : report.rows) {
    std::vector<std::string> line = {escape_terminal(row.agent), escape_terminal(row.resource)};
    for (std::string& cell : list_cells(row)) line.push_back(std::move(cell));
    table.rows.push_back(std::move(line));
  }
  if (report.other_rows > 0) {
    std::vector<std::string> line = {"(other: " + plural(report.other_rows, "group") + ")", ""};
    table.columns[0].min = std::max(kMinKeyWidth, display_width(line[0]));
    for (std::string& cell : list_cells(report.other)) line.push_back(std::move(cell));
    table.rows.push_back(std::move(line));
  }
  return table;
}

std::string list_sources_text(const ListSourcesReport& report, const RenderOptions& options) {
  TerminalTable table = list_sources_table(report);
  std::vector<std::size_t> widths = table_widths(table, options.width);
  std::string out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = table_line(table, r, widths);
    out += (r == 0 ? Style(options.color).header(line) : line) + '\n';
  }
  if (report.rows.empty()) {
    out += report.without_uri == 0 ? "(no LIST requests)\n" : "(" + no_list_rows(report) + ")\n";
  }
  return out;
}

// ---- markdown ------------------------------------------------------------------------------

std::string list_sources_markdown(const ListSourcesReport& report) {
  std::string out = "| agent | resource |";
  for (std::string_view h : kListHeaders) out += " " + std::string(h) + " |";
  out += "\n| --- | --- |";
  for (std::size_t i = 0; i < kListHeaders.size(); ++i) out += " ---: |";
  out += '\n';
  auto cells = [](const ListSourceRow& row) {
    std::string text;
    for (const std::string& cell : list_cells(row)) text += " " + cell + " |";
    return text;
  };
  for (const ListSourceRow& row : report.rows) {
    out += "| " + escape_markdown(row.agent) + " | " + escape_markdown(row.resource) + " |" +
           cells(row) + '\n';
  }
  if (report.other_rows > 0) {
    out += "| *(other: " + plural(report.other_rows, "group") + ")* | |" + cells(report.other) + '\n';
  }
  if (report.rows.empty()) out += "\n*" + no_list_rows(report) + "*\n";
  return out;
}

// ---- json ----------------------------------------------------------------------------------

void list_row_json(std::string& out, const ListSourceRow& row, bool key) {
  out += '{';
  if (key) {
    out += "\"agent\":";
    json_string_value(out, row.agent);
    out += ",\"resource\":";
    json_string_value(out, row.resource);
    out += ',';
  }
  out += "\"lists\":" + std::to_string(row.lists) + ",\"etcd\":" + std::to_string(row.etcd) +
         ",\"cache\":" + std::to_string(row.cache) + ",\"cost_s\":" + format_json_number(row.cost_s, 6) +
         ",\"etcd_cost_s\":" + format_json_number(row.etcd_cost_s, 6) +
         ",\"share\":" + format_json_number(row.share, 6) + '}';
}

void top_json(std::string& out, std::string_view name, const TopReport& top) {
  out += ",\"";
  out += name;
  out += "\":{\"by\":[";
  for (std::size_t i = 0; i < top.by.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, top.by[i]);
  }
  out += "],\"sort\":";
  json_string_value(out, top.sort);
  out += ',';
  append_top_json_rows(out, top);
  out += '}';
}

// "apf": the priority-level view, null when no HTTP log line was read; "apf_findings".
void apf_json(std::string& out, const IncidentReport& report) {
  if (report.apf) {
    top_json(out, "apf", *report.apf);
  } else {
    out += ",\"apf\":null";
  }
  out += ",\"apf_findings\":[";
  for (std::size_t i = 0; i < report.apf_findings.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, report.apf_findings[i]);
  }
  out += ']';
}

std::string top_and_lists_markdown(const IncidentReport& report) {
  std::string out;
  for (const Section& section : top_sections(report)) {
    out += "\n### " + section.title + "\n\n";
    out += render_top_markdown_body(*section.top);
  }
  out += std::string("\n### ") + kListSourcesTitle + "\n\n";
  out += list_sources_markdown(report.list_sources);
  out += "\n- " + escape_markdown(list_sources_totals_line(report.list_sources)) + '\n';
  std::string reasons = list_sources_reasons_line(report.list_sources);
  if (!reasons.empty()) out += "- " + escape_markdown(reasons) + '\n';
  out += std::string("- ") + kListNote + '\n';
  return out;
}

std::string fights_and_timeline_markdown(const IncidentReport& report) {
  std::string out = std::string("\n### ") + kFightsTitle + "\n\n";
  out += render_fights_markdown_body(report.fights);
  out += "\n- " + escape_markdown(fights_totals_line(report.fights)) + '\n';
  std::string excluded = fights_excluded_line(report.fights);
  if (!excluded.empty()) out += "- " + escape_markdown(excluded) + '\n';
  out += "\n### " + timeline_title(report.timeline) + "\n\n";
  out += render_timeline_markdown_body(report.timeline);
  return out;
}

}  // namespace

std::string list_sources_totals_line(const ListSourcesReport& report) {
  const ListSourceRow& t = report.total;
  return plural(t.lists, "LIST request") + ": " +
         format_count(t.etcd) + " from etcd (" + percent(t.etcd, t.lists) + "), " +
         format_count(t.cache) + " from the watch cache · etcd LISTs cost " +
         format_fixed(t.etcd_cost_s, 2) + " s of " + format_fixed(t.cost_s, 2) + " s";
}

std::string list_sources_reasons_line(const ListSourcesReport& report) {
  std::string out;
  auto add = [&](std::uint64_t count, std::string_view why) {
    if (count == 0) return;
    out += (out.empty() ? "why etcd: " : ", ") + std::string(why) + " " + format_count(count);
  };
  add(report.etcd_no_resource_version, "no resourceVersion (consistent read)");
  add(report.etcd_continue, "continue token");
  add(report.etcd_limit, "limit with resourceVersion≠0");
  add(report.etcd_exact, "resourceVersionMatch=Exact");
  return out;
}

std::string_view list_sources_note() { return kListNote; }

bool audit_sections_omitted(const IncidentReport& report) {
  return report.input.events == 0 && report.input.log_lines > 0;
}

InputSummary incident_input(const IncidentReport& report) {
  InputSummary input = report.input;
  if (audit_sections_omitted(report)) {
    input.warnings.push_back(std::string(input.filtered > 0 ? "no audit events left after the filters"
                                                            : "no audit events in the input") +
                             ": only " + plural(input.log_lines, "control-plane log line") +
                             "; audit sections omitted");
  }
  return input;
}

std::string render_incident(const IncidentReport& report, OutputFormat format,
                            const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_incident_table(report, options);
    case OutputFormat::kMarkdown: return render_incident_markdown(report);
    case OutputFormat::kJson: return render_incident_json(report);
    case OutputFormat::kCsv: break;
    case OutputFormat::kHtml: return render_incident_html(report);
  }
  return {};
}

std::string render_incident_table(const IncidentReport& report, const RenderOptions& options) {
  std::string out = heading("kubeblame incident report", options);
  InputSummary summary = incident_input(report);
  std::vector<std::string> input = summary_lines(summary);
  if (!summary.files.empty()) input.insert(input.begin(), "inputs: " + escape_terminal(files_text(summary.files)));
  append_footer(out, input, options);
  bool audit = !audit_sections_omitted(report);
  if (audit) {
    for (const Section& section : top_sections(report)) {
      out += '\n' + heading(section.title, options);
      out += render_top_table_body(*section.top, options);
    }
    out += '\n' + heading(kListSourcesTitle, options);
    out += list_sources_text(report.list_sources, options) + '\n';
    std::vector<std::string> lists = {list_sources_totals_line(report.list_sources)};
    std::string reasons = list_sources_reasons_line(report.list_sources);
    if (!reasons.empty()) lists.push_back(reasons);
    append_footer(out, lists, options);
    out += anatomy_table(report, options);
    out += apf_table(report, options);
  }
  out += '\n' + heading(kErrorsTitle, options);
  out += render_errors_table_body(report.errors, options) + '\n';
  append_footer(out, {errors_totals_line(report.errors)}, options);
  if (!audit) return out;
  out += '\n' + heading(kFightsTitle, options);
  out += render_fights_table_body(report.fights, options) + '\n';
  std::vector<std::string> fights = {fights_totals_line(report.fights)};
  std::string excluded = fights_excluded_line(report.fights);
  if (!excluded.empty()) fights.push_back(excluded);
  append_footer(out, fights, options);
  out += '\n' + heading(timeline_title(report.timeline), options);
  out += render_timeline_table_body(report.timeline, options);
  return out;
}

std::string render_incident_markdown(const IncidentReport& report) {
  std::string out = "## kubeblame incident report\n\n";
  InputSummary summary = incident_input(report);
  if (!summary.files.empty()) out += "- inputs: " + escape_markdown(files_text(summary.files)) + '\n';
  for (const std::string& line : summary_lines(summary)) out += "- " + escape_markdown(line) + '\n';
  bool audit = !audit_sections_omitted(report);
  if (audit)
    out += top_and_lists_markdown(report) + anatomy_markdown(report) + apf_markdown(report);
  out += std::string("\n### ") + kErrorsTitle + " (log levels " + escape_markdown(report.errors.levels) +
         ")\n\n";
  out += render_errors_markdown_body(report.errors);
  out += "\n- " + escape_markdown(errors_totals_line(report.errors)) + '\n';
  if (audit) out += fights_and_timeline_markdown(report);
  return out;
}

std::string render_incident_json(const IncidentReport& report) {
  std::string out = json_document_head(report.command);
  out += ",\"top\":" + std::to_string(report.top) + ',';
  append_json_input(out, incident_input(report));
  top_json(out, "top_agents", report.top_agents);
  top_json(out, "top_user_verb_resource", report.top_user_verb_resource);
  top_json(out, "cost", report.cost);
  top_json(out, "webhooks", report.webhooks);
  out += ",\"webhook_findings\":[";
  std::vector<std::string> findings = webhook_findings(report.webhooks);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, findings[i]);
  }
  out += ']';
  apf_json(out, report);
  const ListSourcesReport& lists = report.list_sources;
  out += ",\"list_sources\":{\"rows\":[";
  for (std::size_t i = 0; i < lists.rows.size(); ++i) {
    if (i > 0) out += ',';
    list_row_json(out, lists.rows[i], true);
  }
  out += "],\"other\":";
  if (lists.other_rows > 0) {
    out += "{\"groups\":" + std::to_string(lists.other_rows) + ',';
    std::string sums;
    list_row_json(sums, lists.other, false);
    out.append(sums, 1);  // its members, after the '{' already written
  } else {
    out += "null";
  }
  out += ",\"total\":";
  list_row_json(out, lists.total, false);
  out += ",\"etcd_reasons\":{\"no_resource_version\":" + std::to_string(lists.etcd_no_resource_version) +
         ",\"continue\":" + std::to_string(lists.etcd_continue) +
         ",\"limit\":" + std::to_string(lists.etcd_limit) +
         ",\"resource_version_match\":" + std::to_string(lists.etcd_exact) + "}}";
  out += ",\"errors\":{\"levels\":";
  json_string_value(out, report.errors.levels);
  out += ",\"total\":" + std::to_string(report.errors.total) + ',';
  append_errors_json_rows(out, report.errors);
  out += "},\"fights\":{";
  append_fights_json_rows(out, report.fights);
  out += "},\"timeline\":{\"by\":[";
  for (std::size_t i = 0; i < report.timeline.by.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, report.timeline.by[i]);
  }
  out += "],\"top\":" + std::to_string(report.timeline.top) + ',';
  append_timeline_json_body(out, report.timeline);
  out += "}}\n";
  return out;
}

}  // namespace kubeblame::report
