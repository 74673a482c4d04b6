// `kubeblame fights` in the terminal: one aligned line per row (rank, kind, object, flips, rate,
// writes, conflicts, pattern), then an indented block per row: the object, the writer legend
// for the pattern letters, the time span, the contested fields with each writer's value, and
// the hint. Fitted to the terminal width (long values shortened with "…", sentences wrapped;
// YAML hints stay whole). Everything from the input is escaped.
#include "kubeblame/report/render_fights.h"

#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kWrapWidth = 100;  // sentence hints, when the terminal is wider or unknown
constexpr std::size_t kMinDetailWidth = 20;
constexpr std::size_t kLabelWidth = 9;   // "writers  "
constexpr std::size_t kPatternColumn = 7;
constexpr std::string_view kDot = " \xC2\xB7 ";

std::string rate_unit(const FightRow& row) {
  return row.kind == "hot-loop" ? " writes/h" : " flips/h";
}

std::string when_text(const FightRow& row) {
  if (!row.first || !row.last) return "no successful writes";
  return format_time_short(*row.first) + " \xE2\x86\x92 " + format_time_short(*row.last) + " (" +
         format_span(static_cast<double>(*row.last - *row.first) / 1e9) + ")";
}

// Appends `label` then the lines of `body`, each after `indent`.
void block(std::string& out, std::string_view label, const std::vector<std::string>& body,
           const std::string& indent) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string head = i == 0 ? std::string(label) : std::string();
    head.resize(std::max(head.size(), kLabelWidth), ' ');
    out += indent + head + body[i];
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
}

// The columns a detail line has after the indent and label (0: unlimited).
struct Room {
  std::size_t columns = 0;
  std::string fit(std::string_view text, Shorten how) const {
    return columns == 0 ? std::string(text) : shorten(text, columns, how);
  }
  std::vector<std::string> wrap(std::string_view text, std::size_t cap = 0) const {
    std::size_t width = columns == 0 ? cap : cap == 0 ? columns : std::min(columns, cap);
    return wrap_words(text, width);
  }
};

// A sentence hint is wrapped. A YAML hint keeps its lines whole (a cut line would be wrong
// YAML) except its comments, which wrap as comments.
std::vector<std::string> hint_lines(const std::string& hint, const Room& room) {
  if (!hint.empty() && hint[0] != '#') return room.wrap(escape_terminal(hint), kWrapWidth);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < hint.size()) {
    std::size_t end = std::min(hint.find('\n', start), hint.size());
    std::string line = escape_terminal(std::string_view(hint).substr(start, end - start));
    start = end + 1;
    std::size_t hash = line.find_first_not_of(' ');
    bool comment = hash != std::string::npos && line.compare(hash, 2, "# ") == 0;
    if (!comment || room.columns == 0 || display_width(line) <= room.columns) {
      lines.push_back(std::move(line));
      continue;
    }
    std::string prefix = line.substr(0, hash + 2);
    std::size_t text_room = std::max(room.columns > prefix.size() ? room.columns - prefix.size() : 0, kMinDetailWidth);
    for (const std::string& part : wrap_words(std::string_view(line).substr(hash + 2), text_room)) {
      lines.push_back(prefix + part);
    }
  }
  return lines;
}

// "A  writer  user (agent)  N writes (verbs)"; on a narrow terminal the user (agent) part moves
// to a line of its own under it, shortened in the middle.
std::vector<std::string> writer_lines(const FightRow& row, const Room& room) {
  std::vector<std::string> writers;
  for (const FightWriter& writer : row.writers) {
    std::string head = std::string(1, writer.letter) + "  " + escape_terminal(writer.writer) + "  ";
    std::string counts = fights_writer_counts(writer);
    std::string identity;
    if (writer.writer != writer.user + " (" + writer.agent + ")") {
      identity = escape_terminal(writer.user) + " (" + escape_terminal(writer.agent) + ")";
    }
    std::size_t width = display_width(head) + display_width(counts);
    if (identity.empty() || room.columns == 0 || width + display_width(identity) + 2 <= room.columns) {
      std::string line = head;
      if (!identity.empty()) line.append(identity).append("  ");
      line += counts;
      writers.push_back(std::move(line));
      continue;
    }
    writers.push_back(room.fit(head + counts, Shorten::kMiddle));
    std::size_t left = std::max(room.columns > 3 ? room.columns - 3 : 0, kMinDetailWidth);
    writers.push_back("   " + shorten_middle(identity, left));
  }
  return writers;
}

std::vector<std::string> field_lines(const FightRow& row, const Room& room) {
  std::vector<std::string> fields;
  for (const ContestedField& field : row.fields) {
    fields.push_back(room.fit(escape_terminal(field.path), Shorten::kMiddle));
    for (const FieldValue& value : field.values) {
      fields.push_back(room.fit(std::string("  ") + value.letter + "  " + escape_terminal(value.value), Shorten::kEnd));
    }
  }
  if (row.fields_omitted > 0) {
    fields.push_back("(" + format_count(row.fields_omitted) + " more, see --max-fields)");
  }
  if (fields.empty() && row.kind != "hot-loop") {
    fields.push_back(!row.fields_kept ? "(not kept: --max-field-entries)"
                     : row.bodies     ? "(none differ in the logged bodies)"
                                      : "(no request bodies at this audit level)");
  }
  if (row.bodies_too_big > 0) {
    fields.push_back("(" + plural(row.bodies_too_big, "body", "bodies") + " skipped by the log as too big)");
  }
  return fields;
}

void row_details(std::string& out, const FightRow& row, const std::string& indent, std::size_t width) {
  Room room;
  if (width > 0) room.columns = std::max(width > indent.size() + kLabelWidth ? width - indent.size() - kLabelWidth : 0,
                                         kMinDetailWidth);
  std::string when = when_text(row) + std::string(kDot) + format_fixed(row.per_hour, 1) + rate_unit(row);
  if (!row.flips_exact) when += std::string(kDot) + "flips over the latest " + plural(row.window_writes, "write");
  block(out, "object", {room.fit(escape_terminal(row.object), Shorten::kMiddle)}, indent);
  block(out, "writers", writer_lines(row, room), indent);
  block(out, "when", room.columns == 0 ? std::vector<std::string>{when} : wrap_parts(when, room.columns, 0, kDot), indent);
  block(out, "fields", field_lines(row, room), indent);
  block(out, "hint", hint_lines(row.hint, room), indent);
}

}  // namespace

std::string fights_totals_line(const FightsReport& report) {
  std::uint64_t counts[3] = {0, 0, 0};
  for (const FightRow& row : report.rows) {
    counts[row.kind == "fight" ? 0 : row.kind == "conflicts" ? 1 : 2] += 1;
  }
  std::string line = plural(counts[0], "fight") + std::string(kDot) + plural(counts[1], "conflict burst") +
                     std::string(kDot) + plural(counts[2], "hot loop");
  if (report.other_rows > 0) line += " (+" + format_count(report.other_rows) + " beyond --top)";
  line += std::string(kDot) + plural(report.objects_written, "object written", "objects written") +
          std::string(kDot) + plural(report.writes, "write");
  return line;
}

std::string fights_excluded_line(const FightsReport& report) {
  const FightExclusions& e = report.excluded;
  std::string parts;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n == 0) return;
    if (!parts.empty()) parts += ", ";
    parts += plural(n, what);
  };
  add(e.lease_writes, "lease write");
  add(e.heartbeat_writes, "kubelet status heartbeat");
  add(e.event_writes, "event write");
  add(e.leader_lock_writes, "leader-election lock write");
  // Hot loops matching the normal-writes catalog: "240 HPA status writes (every 15 s, 1 object)".
  for (std::size_t i = 0; i < analyze::kNormalWriteCount; ++i) {
    const NormalWriteCount& count = e.normal_writes[i];
    const analyze::NormalWrite& entry = analyze::normal_writes()[i];
    if (count.objects == 0) continue;
    std::string many(entry.label);  // "HPA status writes"
    std::string one = many.ends_with('s') ? many.substr(0, many.size() - 1) : many;
    if (!parts.empty()) parts += ", ";
    parts += plural(count.writes, one, many) + " (" + std::string(entry.period_text) + ", " +
             plural(count.objects, "object") + ")";
  }
  return parts.empty() ? parts : "left out as normal traffic: " + parts;
}

std::string fights_flips_text(const FightRow& row) {
  return (row.flips_exact ? "" : "\xE2\x89\xA5") + format_count(row.flips);
}

std::string fights_writer_counts(const FightWriter& writer) {
  std::string out = plural(writer.writes, "write");
  if (writer.conflicts > 0) out += ", " + plural(writer.conflicts, "conflict");
  if (!writer.verbs.empty()) out += " (" + writer.verbs + ")";
  return out;
}

std::string render_fights(const FightsReport& report, OutputFormat format,
                          const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_fights_table(report, options);
    case OutputFormat::kMarkdown: return render_fights_markdown(report);
    case OutputFormat::kJson: return render_fights_json(report);
    case OutputFormat::kCsv: return render_fights_csv(report);
    case OutputFormat::kHtml: break;  // report only
  }
  return {};
}

std::string render_fights_table(const FightsReport& report, const RenderOptions& options) {
  std::string out = render_fights_table_body(report, options);
  out += '\n';
  std::vector<std::string> footer = summary_lines(report.input);
  footer.insert(footer.begin(), fights_totals_line(report));
  std::string excluded = fights_excluded_line(report);
  if (!excluded.empty()) footer.insert(footer.begin() + 1, excluded);
  append_footer(out, footer, options);
  return out;
}

namespace {

// #, KIND, OBJECT, FLIPS, PER HOUR, WRITES, CONFLICTS, PATTERN: the object gives way first
// (shortened in the middle), then the pattern (at the end, or at the start when it shows the
// latest writes: "…ABAB"); numbers never.
TerminalTable fights_table(const FightsReport& report, std::size_t width, std::vector<std::size_t>& widths) {
  TerminalTable table;
  table.columns = {{true, Shorten::kNever, 0, 0},         {false, Shorten::kNever, 0, 0},
                   {false, Shorten::kMiddle, 20, 0},      {true, Shorten::kNever, 0, 0},
                   {true, Shorten::kNever, 0, 0},         {true, Shorten::kNever, 0, 0},
                   {true, Shorten::kNever, 0, 0},         {false, Shorten::kEnd, 8, 1}};
  table.rows.push_back({"#", "KIND", "OBJECT", "FLIPS", "PER HOUR", "WRITES", "CONFLICTS", "PATTERN"});
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    table.rows.push_back({std::to_string(i + 1), row.kind, escape_terminal(row.object), fights_flips_text(row),
                          format_fixed(row.per_hour, 1), format_count(row.writes), format_count(row.conflicts),
                          escape_terminal(row.pattern)});
  }
  widths = table_widths(table, width);
  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    std::string& pattern = table.rows[r][kPatternColumn];
    if (pattern.rfind("\xE2\x80\xA6", 0) == 0) pattern = shorten_start(pattern, widths[kPatternColumn]);
  }
  return table;
}

}  // namespace

std::string render_fights_table_body(const FightsReport& report, const RenderOptions& options) {
  std::vector<std::size_t> widths;
  TerminalTable table = fights_table(report, options.width, widths);
  Style style(options.color);
  std::string out = style.header(table_line(table, 0, widths)) + '\n';
  for (std::size_t r = 1; r < table.rows.size(); ++r) out += table_line(table, r, widths) + '\n';
  if (report.rows.empty()) out += "(no fights, conflict bursts or hot loops)\n";
  const std::string indent(widths[0] + 2, ' ');
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    out += '\n';
    std::string title = std::to_string(i + 1) + ". " + row.kind;
    out += style.header(title) + '\n';
    row_details(out, row, indent, options.width);
  }
  return out;
}

}  // namespace kubeblame::report
