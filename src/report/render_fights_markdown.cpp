// `kubeblame fights` as markdown for a ticket: the ranked table, then per row its writers,
// contested fields and hint (YAML hints in a fenced ```yaml block whose fence is longer than
// any backtick run inside), then the input summary. Every input string is escaped.
#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_fights.h"

namespace kubeblame::report {

namespace {

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_time_short(*time) : "-";
}

// The longest run of backticks in `text` plus one, at least three.
std::string fence_for(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// Escapes each line of a YAML hint for the inside of a fence: controls become visible escapes.
std::string fenced(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    out += escape_terminal(text.substr(start, end - start));
    out += '\n';
    start = end + 1;
  }
  return out;
}

void row_section(std::string& out, std::size_t rank, const FightRow& row) {
  out += "\n#### " + std::to_string(rank) + ". " + row.kind + " on " + escape_markdown(row.object) + "\n\n";
  for (const FightWriter& writer : row.writers) {
    out += std::string("- **") + writer.letter + "** " + escape_markdown(writer.writer);
    if (writer.writer != writer.user + " (" + writer.agent + ")") {
      out += " \xE2\x80\x94 " + escape_markdown(writer.user) + " (" + escape_markdown(writer.agent) + ")";
    }
    out += ": " + escape_markdown(fights_writer_counts(writer)) + '\n';
  }
  out += "- " + format_fixed(row.per_hour, 1) +
         (row.kind == "hot-loop" ? " writes/h" : " flips/h") + ", flips " +
         escape_markdown(fights_flips_text(row));
  if (!row.flips_exact) out += " (over the latest " + plural(row.window_writes, "write") + ")";
  out += ", pattern `" + row.pattern + "`\n";
  if (!row.fields.empty()) {
    out += "\nContested fields:\n\n";
    for (const ContestedField& field : row.fields) {
      out += "- " + escape_markdown(field.path) + ":";
      for (std::size_t i = 0; i < field.values.size(); ++i) {
        out += std::string(i == 0 ? " " : ", ") + "**" + field.values[i].letter + "** " +
               escape_markdown(field.values[i].value);
      }
      out += '\n';
    }
    if (row.fields_omitted > 0) out += "- *(" + format_count(row.fields_omitted) + " more)*\n";
  } else if (row.kind != "hot-loop") {
    out += !row.fields_kept ? "\n*Contested fields not kept (--max-field-entries).*\n"
           : row.bodies     ? "\n*No field differs between writers in the logged bodies.*\n"
                            : "\n*No request bodies at this audit level: contested fields unknown.*\n";
  }
  if (row.hint.empty()) return;
  if (row.hint[0] == '#') {
    std::string fence = fence_for(row.hint);
    out += '\n' + fence + "yaml\n" + fenced(row.hint) + fence + '\n';
  } else {
    out += "\n**Hint:** " + escape_markdown(row.hint) + '\n';
  }
}

}  // namespace

std::string render_fights_markdown(const FightsReport& report) {
  std::string out = "### kubeblame fights\n\n";
  out += render_fights_markdown_body(report);
  out += "\n- " + escape_markdown(fights_totals_line(report)) + '\n';
  std::string excluded = fights_excluded_line(report);
  if (!excluded.empty()) out += "- " + escape_markdown(excluded) + '\n';
  for (const std::string& line : summary_lines(report.input)) {
    out += "- " + escape_markdown(line) + '\n';
  }
  return out;
}

std::string render_fights_markdown_body(const FightsReport& report) {
  std::string out = "| # | kind | object | writers | flips | per hour | writes | conflicts | pattern | first | last |\n";
  out += "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    std::string writers;
    for (const FightWriter& writer : row.writers) {
      if (!writers.empty()) writers += ", ";
      writers += std::string(1, writer.letter) + " " + escape_markdown(writer.writer);
    }
    out += "| " + std::to_string(i + 1) + " | " + row.kind + " | " + escape_markdown(row.object) +
           " | " + writers + " | " + escape_markdown(fights_flips_text(row)) + " | " +
           format_fixed(row.per_hour, 1) + " | " + format_count(row.writes) + " | " +
           format_count(row.conflicts) + " | `" + row.pattern + "` | " + time_cell(row.first) +
           " | " + time_cell(row.last) + " |\n";
  }
  if (report.rows.empty()) out += "\n*No fights, conflict bursts or hot loops.*\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) row_section(out, i + 1, report.rows[i]);
  return out;
}

}  // namespace kubeblame::report
