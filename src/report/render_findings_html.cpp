// The HTML report's findings: error signatures (with an example message and the top callers
// under each) and fights/hot loops (a ranked table, then one card per finding with its writers,
// contested fields and values, and the remediation hint; YAML hints in <pre>). All escaped.
#include <fmt/format.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_errors.h"
#include "kubeblame/report/render_fights.h"
#include "kubeblame/report/render_incident_html.h"

namespace kubeblame::report {

namespace {

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_time_short(*time) : "-";
}

std::string header_row(std::initializer_list<std::pair<std::string_view, bool>> columns) {
  std::string out = "<thead><tr>";
  for (const auto& [name, numeric] : columns) {
    out += std::string("<th scope=\"col\"") + (numeric ? " class=\"num\"" : "") + ">" + escape_html(name) + "</th>";
  }
  return out + "</tr></thead>\n";
}

std::string num_cell(const std::string& text) { return "<td class=\"num\">" + escape_html(text) + "</td>"; }

// The terminal's column order: count, source, code/level, first, last, signature.
std::string error_row(const ErrorRow& row) {
  std::string out = "<tr>" + num_cell(format_count(row.count)) + "<td>" + escape_html(error_source_label(row)) +
                    "</td><td>" + escape_html(error_code_or_level(row)) + "</td>" + num_cell(time_cell(row.first)) +
                    num_cell(time_cell(row.last)) + "<td class=\"key\"><code>" + escape_html(row.signature) + "</code>";
  if (!row.example.empty()) {
    out += "<p class=\"detail\">example: <code>" + escape_html(row.example) + "</code></p>";
  }
  std::string callers = error_callers_text(row);
  if (!callers.empty()) out += "<p class=\"detail\">callers: " + escape_html(callers) + "</p>";
  out += "</td></tr>\n";
  return out;
}

std::string kind_badge(const std::string& kind) {
  return "<span class=\"badge " + escape_html(kind) + "\">" + escape_html(kind) + "</span>";
}

std::string rate_text(const FightRow& row) {
  return format_fixed(row.per_hour, 1) + (row.kind == "hot-loop" ? " writes/h" : " flips/h");
}

std::string fights_table(const FightsReport& report) {
  std::string out = "<div class=\"table\"><table>\n";
  out += header_row({{"#", true}, {"kind", false}, {"object", false}, {"flips", true}, {"per hour", true},
                     {"writes", true}, {"conflicts", true}, {"pattern", false}, {"first", true}, {"last", true}});
  out += "<tbody>\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    out += "<tr>" + num_cell(std::to_string(i + 1)) + "<td>" + kind_badge(row.kind) + "</td><td class=\"key\">" +
           "<a href=\"#finding-" + std::to_string(i + 1) + "\">" + escape_html_breakable(row.object) + "</a></td>" +
           num_cell(fights_flips_text(row)) + num_cell(format_fixed(row.per_hour, 1)) +
           num_cell(format_count(row.writes)) + num_cell(format_count(row.conflicts)) + "<td class=\"pattern\"><code>" +
           escape_html(row.pattern) + "</code></td>" + num_cell(time_cell(row.first)) +
           num_cell(time_cell(row.last)) + "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string writers_table(const FightRow& row) {
  std::string out = "<div class=\"table\"><table>\n";
  out += header_row({{"", false}, {"writer", false}, {"user (agent)", false}, {"writes", true},
                     {"conflicts", true}, {"verbs", false}});
  out += "<tbody>\n";
  for (const FightWriter& writer : row.writers) {
    out += "<tr><th scope=\"row\">" + escape_html(std::string(1, writer.letter)) + "</th><td class=\"key\">" +
           escape_html_breakable(writer.writer) + "</td><td class=\"key\">" + escape_html_breakable(writer.user) + " (" +
           escape_html(writer.agent) + ")</td>" + num_cell(format_count(writer.writes)) +
           num_cell(format_count(writer.conflicts)) + "<td>" + escape_html(writer.verbs) + "</td></tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string fields_html(const FightRow& row) {
  std::string out;
  if (!row.fields.empty()) {
    out += "<h4>Contested fields</h4>\n<div class=\"table\"><table>\n";
    out += header_row({{"field", false}, {"writer", false}, {"value it sets (last seen)", false}});
    out += "<tbody>\n";
    for (const ContestedField& field : row.fields) {
      for (std::size_t i = 0; i < field.values.size(); ++i) {
        const FieldValue& value = field.values[i];
        out += "<tr>";
        if (i == 0) {
          out += "<td class=\"key\" rowspan=\"" + std::to_string(field.values.size()) + "\"><code>" +
                 escape_html_breakable(field.path) + "</code></td>";
        }
        out += "<td>" + escape_html(std::string(1, value.letter)) + " " + escape_html(value.writer) +
               "</td><td class=\"val\"><code>" + escape_html(value.value) + "</code></td></tr>\n";
      }
    }
    out += "</tbody></table></div>\n";
    if (row.fields_omitted > 0) {
      out += "<p class=\"muted\">" + format_count(row.fields_omitted) + " more contested " +
             (row.fields_omitted == 1 ? "field" : "fields") + " (see --max-fields).</p>\n";
    }
  } else if (row.kind != "hot-loop") {
    out += std::string("<p class=\"muted\">") +
           (!row.fields_kept ? "Contested fields not kept (memory bound)."
            : row.bodies     ? "No field differs between writers in the logged bodies."
                             : "No request bodies at this audit level: contested fields unknown.") +
           "</p>\n";
  }
  if (row.bodies_too_big > 0) {
    out += "<p class=\"muted\">" + plural(row.bodies_too_big, "body", "bodies") + " skipped by the log as too big.</p>\n";
  }
  return out;
}

std::string finding_card(std::size_t rank, const FightRow& row) {
  std::string out = "<article class=\"finding\" id=\"finding-" + std::to_string(rank) + "\">\n<h3>" +
                    std::to_string(rank) + ". " + kind_badge(row.kind) + " <code>" + escape_html(row.object) +
                    "</code></h3>\n<dl class=\"facts\">";
  if (!row.object_kind.empty()) {
    std::string kind = row.object_kind + (row.api_group.empty() ? "" : " (" + row.api_group + ")");
    out += "<dt>kind</dt><dd>" + escape_html(kind) + "</dd>";
  }
  std::string when = row.first && row.last
                         ? format_time_short(*row.first) + " \xE2\x86\x92 " + format_time_short(*row.last) + " (" +
                               format_span(static_cast<double>(*row.last - *row.first) / 1e9) + ")"
                         : "no successful writes";
  out += "<dt>when</dt><dd>" + escape_html(when) + "</dd>";
  std::string counts = plural(row.writes, "write") + ", " + fights_flips_text(row) + (row.flips == 1 ? " flip, " : " flips, ") +
                       rate_text(row) + ", " + plural(row.conflicts, "conflict");
  if (!row.flips_exact) counts += " (flips over the latest " + plural(row.window_writes, "write") + ")";
  out += "<dt>activity</dt><dd>" + escape_html(counts) + "</dd>";
  out += "<dt>pattern</dt><dd><code>" + escape_html(row.pattern) + "</code></dd></dl>\n";
  out += writers_table(row) + fields_html(row);
  if (!row.hint.empty() && row.hint[0] == '#') {
    out += "<h4>Fix</h4>\n<pre>" + escape_html_lines(row.hint) + "</pre>\n";
  } else if (!row.hint.empty()) {
    out += "<p><strong>Fix:</strong> " + escape_html(row.hint) + "</p>\n";
  }
  return out + "</article>\n";
}

}  // namespace

std::string errors_html_section(const ErrorsReport& errors) {
  std::string out = "<section id=\"errors\" class=\"page\">\n<h2>Errors <span class=\"sub\">(log levels " +
                    escape_html(errors.levels) + ")</span></h2>\n";
  if (errors.rows.empty()) {
    out += "<p class=\"muted\">No errors.</p>\n";
  } else {
    out += "<div class=\"table\"><table>\n";
    out += header_row({{"count", true}, {"source", false}, {"code/level", false}, {"first", true}, {"last", true},
                       {"signature", false}});
    out += "<tbody>\n";
    for (const ErrorRow& row : errors.rows) out += error_row(row);
    if (errors.other_rows > 0) {
      out += "<tr class=\"other\">" + num_cell(format_count(errors.other_count)) + "<td colspan=\"4\"></td><td>(other: " +
             plural(errors.other_rows, "signature") + ")</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  out += "<p>" + escape_html(errors_totals_line(errors)) + "</p>\n</section>\n";
  return out;
}

std::string fights_html_section(const FightsReport& fights) {
  std::string out = "<section id=\"fights\" class=\"page\">\n<h2>Fights and hot loops</h2>\n";
  if (fights.rows.empty()) {
    out += "<p class=\"muted\">No fights, conflict bursts or hot loops.</p>\n";
  } else {
    out += fights_table(fights);
  }
  out += "<p>" + escape_html(fights_totals_line(fights)) + "</p>\n";
  std::string excluded = fights_excluded_line(fights);
  if (!excluded.empty()) out += "<p class=\"muted\">" + escape_html(excluded) + "</p>\n";
  for (std::size_t i = 0; i < fights.rows.size(); ++i) out += finding_card(i + 1, fights.rows[i]);
  out += "</section>\n";
  return out;
}

}  // namespace kubeblame::report
