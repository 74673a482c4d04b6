// `kubeblame fights` in the terminal: one aligned line per row (rank, kind, object cut to
// kObjectWidth, flips, rate, writes, conflicts, pattern), then an indented block per row: the
// full object, the writer legend for the pattern letters, the time span, the contested fields
// with each writer's value, and the hint. Everything from the input is escaped.
#include "kubeblame/report/render_fights.h"

#include <algorithm>
#include <array>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kObjectWidth = 64;
constexpr std::size_t kDetailWidth = 140;
constexpr std::size_t kWrapWidth = 100;  // sentence hints
constexpr std::size_t kColumns = 8;
constexpr std::string_view kDot = " \xC2\xB7 ";

using Cells = std::array<std::string, kColumns>;

void pad_to(std::string& out, std::string_view cell, std::size_t width, bool right) {
  std::size_t w = display_width(cell);
  if (right) out.append(width > w ? width - w : 0, ' ');
  out.append(cell);
  if (!right) out.append(width > w ? width - w : 0, ' ');
}

std::string line_of(const Cells& cells, const std::array<std::size_t, kColumns>& widths) {
  static constexpr std::array<bool, kColumns> kRight = {true, false, false, true,
                                                        true, true,  true,  false};
  std::string line;
  for (std::size_t c = 0; c < kColumns; ++c) {
    if (c > 0) line += "  ";
    pad_to(line, cells[c], widths[c], kRight[c]);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string rate_unit(const FightRow& row) {
  return row.kind == "hot-loop" ? " writes/h" : " flips/h";
}

std::string when_text(const FightRow& row) {
  if (!row.first || !row.last) return "no successful writes";
  return format_time_short(*row.first) + " \xE2\x86\x92 " + format_time_short(*row.last) + " (" +
         format_span(static_cast<double>(*row.last - *row.first) / 1e9) + ")";
}

// Appends `label` then the lines of `body`, each after `indent`, cut to the detail width.
void block(std::string& out, std::string_view label, const std::vector<std::string>& body,
           const std::string& indent) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string head = i == 0 ? std::string(label) : std::string();
    head.resize(std::max<std::size_t>(head.size(), 9), ' ');
    out += indent + head + truncate_display(body[i], kDetailWidth);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
}

// Splits `text` at spaces into lines of at most `width` columns (a longer word stays whole).
void wrap_into(std::vector<std::string>& lines, std::string_view text, std::size_t width) {
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find(' ', start), text.size());
    std::string_view word = text.substr(start, end - start);
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(std::move(line));
}

// YAML hints keep their lines; a sentence is wrapped.
std::vector<std::string> hint_lines(const std::string& hint) {
  std::vector<std::string> lines;
  if (!hint.empty() && hint[0] != '#') {
    wrap_into(lines, escape_terminal(hint), kWrapWidth);
    return lines;
  }
  std::size_t start = 0;
  while (start < hint.size()) {
    std::size_t end = std::min(hint.find('\n', start), hint.size());
    lines.push_back(escape_terminal(std::string_view(hint).substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

void row_details(std::string& out, const FightRow& row, const std::string& indent) {
  std::string window;
  if (!row.flips_exact) {
    window = kDot;
    window += "flips over the latest " + format_count(row.window_writes) + " writes";
  }
  block(out, "object", {escape_terminal(row.object)}, indent);
  std::vector<std::string> writers;
  for (const FightWriter& writer : row.writers) {
    std::string line(1, writer.letter);
    line += "  " + escape_terminal(writer.writer);
    if (writer.writer != writer.user + " (" + writer.agent + ")") {
      line += "  " + escape_terminal(writer.user) + " (" + escape_terminal(writer.agent) + ")";
    }
    line += "  " + fights_writer_counts(writer);
    writers.push_back(line);
  }
  block(out, "writers", writers, indent);
  block(out, "when", {when_text(row) + kDot.data() + format_fixed(row.per_hour, 1) + rate_unit(row) + window},
        indent);
  std::vector<std::string> fields;
  for (const ContestedField& field : row.fields) {
    fields.push_back(escape_terminal(field.path));
    for (const FieldValue& value : field.values) {
      fields.push_back(std::string("  ") + value.letter + "  " + escape_terminal(value.value));
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
    fields.push_back("(" + format_count(row.bodies_too_big) +
                     " bodies skipped by the log as too big)");
  }
  block(out, "fields", fields, indent);
  block(out, "hint", hint_lines(row.hint), indent);
}

}  // namespace

std::string fights_totals_line(const FightsReport& report) {
  std::uint64_t counts[3] = {0, 0, 0};
  for (const FightRow& row : report.rows) {
    counts[row.kind == "fight" ? 0 : row.kind == "conflicts" ? 1 : 2] += 1;
  }
  auto plural = [](std::uint64_t n, std::string_view one, std::string_view many) {
    return format_count(n) + ' ' + std::string(n == 1 ? one : many);
  };
  std::string line = plural(counts[0], "fight", "fights") + std::string(kDot) +
                     plural(counts[1], "conflict burst", "conflict bursts") + std::string(kDot) +
                     plural(counts[2], "hot loop", "hot loops");
  if (report.other_rows > 0) line += " (+" + format_count(report.other_rows) + " beyond --top)";
  line += std::string(kDot) + plural(report.objects_written, "object written", "objects written") +
          std::string(kDot) + plural(report.writes, "write", "writes");
  return line;
}

std::string fights_excluded_line(const FightsReport& report) {
  const FightExclusions& e = report.excluded;
  std::string parts;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n == 0) return;
    if (!parts.empty()) parts += ", ";
    parts += format_count(n) + ' ' + std::string(what);
  };
  add(e.lease_writes, "lease writes");
  add(e.heartbeat_writes, "kubelet status heartbeats");
  add(e.event_writes, "event writes");
  add(e.leader_lock_writes, "leader-election lock writes");
  // Hot loops matching the normal-writes catalog: "240 HPA status writes (every 15 s, 1 object)".
  for (std::size_t i = 0; i < analyze::kNormalWriteCount; ++i) {
    const NormalWriteCount& count = e.normal_writes[i];
    const analyze::NormalWrite& entry = analyze::normal_writes()[i];
    if (count.objects == 0) continue;
    add(count.writes, std::string(entry.label) + " (" + std::string(entry.period_text) + ", " +
                          format_count(count.objects) + (count.objects == 1 ? " object)" : " objects)"));
  }
  return parts.empty() ? parts : "left out as normal traffic: " + parts;
}

std::string fights_flips_text(const FightRow& row) {
  return (row.flips_exact ? "" : "\xE2\x89\xA5") + format_count(row.flips);
}

std::string fights_writer_counts(const FightWriter& writer) {
  std::string out = format_count(writer.writes) + (writer.writes == 1 ? " write" : " writes");
  if (writer.conflicts > 0) {
    out += ", " + format_count(writer.conflicts) + (writer.conflicts == 1 ? " conflict" : " conflicts");
  }
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
  Style style(options.color);
  for (const std::string& line : footer) out += style.footer(line) + '\n';
  return out;
}

std::string render_fights_table_body(const FightsReport& report, const RenderOptions& options) {
  std::vector<Cells> cells;
  cells.push_back({"#", "KIND", "OBJECT", "FLIPS", "PER HOUR", "WRITES", "CONFLICTS", "PATTERN"});
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    cells.push_back({std::to_string(i + 1), row.kind,
                     truncate_display(escape_terminal(row.object), kObjectWidth),
                     fights_flips_text(row), format_fixed(row.per_hour, 1),
                     format_count(row.writes), format_count(row.conflicts),
                     escape_terminal(row.pattern)});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const Cells& row : cells) {
    for (std::size_t c = 0; c < kColumns; ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  std::string out;
  std::string header = line_of(cells[0], widths);
  Style style(options.color);
  out += style.header(header) + '\n';
  for (std::size_t r = 1; r < cells.size(); ++r) out += line_of(cells[r], widths) + '\n';
  if (report.rows.empty()) out += "(no fights, conflict bursts or hot loops)\n";
  const std::string indent(widths[0] + 2, ' ');
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    out += '\n';
    std::string title = std::to_string(i + 1) + ". " + row.kind;
    out += style.header(title) + '\n';
    row_details(out, row, indent);
  }
  return out;
}

}  // namespace kubeblame::report
