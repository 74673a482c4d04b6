// `kubeblame timeline` for people: a header line (interval, start, end), then one row per top
// group with its requests, errors, peak and a sparkline scaled to that row's own peak (the
// shape of each group is visible however small it is; the total row shows the overall load),
// then (other) and the total. Markdown is the same table with sparklines in code spans (empty
// buckets as no-break spaces).
#include <algorithm>
#include <array>
#include <limits>

#include "kubeblame/analyze/timeline/timeline_ladder.h"
#include "kubeblame/model/time.h"
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_timeline.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMinKeyWidth = 21;  // "argocd-app…controller"
constexpr std::size_t kMinSparklineWidth = 24;
constexpr std::array<const char*, 8> kBlocks = {"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83",
                                                "\xE2\x96\x84", "\xE2\x96\x85", "\xE2\x96\x86",
                                                "\xE2\x96\x87", "\xE2\x96\x88"};  // ▁ .. █

// One row of the table in cells: key cells (already escaped by the caller), then the numbers.
struct RowCells {
  std::vector<std::string> key;
  std::string requests, errors, peak, peak_at, spark;
};

RowCells row_cells(const TimelineReport& report, const TimelineSeries& series,
                   std::vector<std::string> key, std::size_t per_char) {
  RowCells cells;
  cells.key = std::move(key);
  cells.requests = format_count(series.requests);
  cells.errors = format_count(series.errors);
  TimelinePeak peak = timeline_peak(series);
  cells.peak = peak.count > 0 ? format_count(peak.count) : "-";
  cells.peak_at = peak.count > 0 ? format_time_short(timeline_bucket_start(report, peak.bucket)) : "-";
  cells.spark = sparkline(series.counts, per_char);
  return cells;
}

// Rows in display order: the top groups, (other) when it holds any group, the total.
template <typename Escape>
std::vector<RowCells> all_rows(const TimelineReport& report, Escape escape, std::size_t per_char) {
  std::vector<RowCells> rows;
  std::size_t width = std::max<std::size_t>(report.by.size(), 1);
  for (const TimelineSeries& series : report.series) {
    std::vector<std::string> key;
    for (const std::string& value : series.key) key.push_back(escape(value));
    rows.push_back(row_cells(report, series, std::move(key), per_char));
  }
  auto label_row = [&](const TimelineSeries& series, std::string label) {
    std::vector<std::string> key(width);
    key[0] = std::move(label);
    rows.push_back(row_cells(report, series, std::move(key), per_char));
  };
  if (report.other_groups > 0) {
    label_row(report.other, "(other: " + plural(report.other_groups, "group") + ")");
  }
  label_row(report.total, "(total)");
  return rows;
}

std::string untimed_line(const TimelineReport& report) {
  return plural(report.untimed, "request") + " without any timestamp " + (report.untimed == 1 ? "is" : "are") +
         " not in the timeline";
}

std::string spark_header(const TimelineReport& report) {
  return "requests per " + analyze::format_interval(report.interval_s);
}

// Markdown strips one space from each end of a code span that starts and ends with one, which
// would shift a sparkline: empty buckets become no-break spaces there.
std::string code_span_spaces(std::string_view spark) {
  std::string out;
  for (char c : spark) {
    if (c == ' ') {
      out += "\xC2\xA0";
    } else {
      out += c;
    }
  }
  return out;
}

void append_wrapped(std::string& out, const std::string& text, std::size_t width) {
  for (const std::string& line : wrap_words(text, width, 2)) out += line + '\n';
}

// Key columns (shortened in the middle when the terminal is narrow), REQUESTS, ERRORS, PEAK,
// PEAK AT, then the sparkline (already as narrow as it gets: see table_buckets_per_char).
TerminalTable timeline_table(const TimelineReport& report, std::size_t per_char) {
  TerminalTable table;
  std::vector<RowCells> rows = all_rows(report, [](const std::string& value) { return escape_terminal(value); }, per_char);
  std::vector<std::string> header;
  for (const std::string& dim : report.by) {
    header.push_back(upper(dim));
    table.columns.push_back({false, Shorten::kMiddle, kMinKeyWidth, 0});
  }
  for (const char* name : {"REQUESTS", "ERRORS", "PEAK", "PEAK AT"}) {
    header.emplace_back(name);
    table.columns.push_back({true, Shorten::kNever, 0, 0});
  }
  // Per character: more than one bucket when the terminal is narrow or there are many buckets.
  header.push_back("REQUESTS PER " + analyze::format_interval(report.interval_s * static_cast<std::int64_t>(per_char)));
  table.columns.push_back({false, Shorten::kNever, 0, 0});
  table.rows.push_back(std::move(header));
  for (RowCells& row : rows) {
    std::vector<std::string> cells = std::move(row.key);
    // The (other) and (total) labels are never shortened.
    if (table.rows.size() > report.series.size() && !cells.empty()) {
      table.columns[0].min = std::max(table.columns[0].min, display_width(cells[0]));
    }
    for (std::string* cell : {&row.requests, &row.errors, &row.peak, &row.peak_at, &row.spark}) {
      cells.push_back(std::move(*cell));
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

// Buckets per sparkline character in the terminal: as in sparkline_buckets_per_char, or more
// when the sparkline would not fit beside the other columns (down to kMinSparklineWidth).
std::size_t table_buckets_per_char(const TimelineReport& report, std::size_t width) {
  std::size_t per_char = sparkline_buckets_per_char(report.buckets);
  if (width == 0 || report.buckets == 0) return per_char;
  TerminalTable table = timeline_table(report, per_char);
  std::vector<std::size_t> widths = table_widths(table, 0);
  widths.pop_back();
  std::size_t used = row_width(widths, 2) + 2;
  std::size_t room = std::max(width > used ? width - used : 0, kMinSparklineWidth);
  std::size_t fitted = std::max(per_char, (report.buckets + room - 1) / room);
  // Never fewer characters than kMinSparklineWidth (or the buckets, when fewer) for the sake of
  // a table that stays too wide anyway.
  std::size_t least = std::min(kMinSparklineWidth, report.buckets);
  while (fitted > per_char && (report.buckets + fitted - 1) / fitted < least) --fitted;
  return fitted;
}

}  // namespace

std::size_t sparkline_buckets_per_char(std::size_t buckets) {
  return buckets <= kMaxSparklineWidth ? 1 : (buckets + kMaxSparklineWidth - 1) / kMaxSparklineWidth;
}

std::string sparkline(const std::vector<std::uint64_t>& counts, std::size_t buckets_per_char) {
  std::size_t per_char = std::max<std::size_t>(buckets_per_char, 1);
  std::vector<std::uint64_t> sums((counts.size() + per_char - 1) / per_char, 0);
  for (std::size_t i = 0; i < counts.size(); ++i) sums[i / per_char] += counts[i];
  std::uint64_t max = sums.empty() ? 0 : *std::max_element(sums.begin(), sums.end());
  std::string out;
  for (std::uint64_t sum : sums) {
    if (sum == 0) {
      out += ' ';
      continue;
    }
    // ceil(8 * sum / max) in 1..8, computed without overflowing for huge counts.
    long double ratio = static_cast<long double>(sum) / static_cast<long double>(max);
    auto level = static_cast<std::size_t>(std::min<long double>(8, std::max<long double>(1, ratio * 8 + 0.999999L)));
    out += kBlocks[level - 1];
  }
  return out;
}

TimelinePeak timeline_peak(const TimelineSeries& series) {
  TimelinePeak peak;
  for (std::size_t i = 0; i < series.counts.size(); ++i) {
    if (series.counts[i] > peak.count) peak = {series.counts[i], i};
  }
  return peak;
}

model::TimeNs timeline_bucket_start(const TimelineReport& report, std::size_t bucket) {
  // The end of a bucket near 2262 can lie past what nanoseconds in an int64 hold: saturate.
  model::TimeNs offset = 0;
  model::TimeNs start = 0;
  if (__builtin_mul_overflow(static_cast<model::TimeNs>(bucket), report.interval_s * model::kNsPerSecond, &offset) ||
      __builtin_add_overflow(report.start, offset, &start)) {
    return std::numeric_limits<model::TimeNs>::max();
  }
  return start;
}

std::string timeline_header_line(const TimelineReport& report) {
  return timeline_header_line(report, sparkline_buckets_per_char(report.buckets));
}

std::string timeline_header_line(const TimelineReport& report, std::size_t per_char) {
  std::string line = "timeline by ";
  for (std::size_t i = 0; i < report.by.size(); ++i) line += (i > 0 ? "," : "") + report.by[i];
  line += " · interval " + analyze::format_interval(report.interval_s) +
                     (report.interval_auto ? " (auto)" : "");
  if (report.buckets == 0) return line + " · no requests with a timestamp";
  line += " · " + format_time_short(report.start) + " → " +
          format_time_short(timeline_bucket_start(report, report.buckets)) + " · " +
          plural(report.buckets, "bucket");
  if (per_char > 1) line += " · one sparkline character per " + format_count(per_char) + " buckets";
  return line;
}

std::string render_timeline(const TimelineReport& report, OutputFormat format,
                            const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_timeline_table(report, options);
    case OutputFormat::kMarkdown: return render_timeline_markdown(report);
    case OutputFormat::kJson: return render_timeline_json(report);
    case OutputFormat::kCsv: return render_timeline_csv(report);
    case OutputFormat::kHtml: break;  // report only
  }
  return {};
}

std::string render_timeline_table(const TimelineReport& report, const RenderOptions& options) {
  std::string out = render_timeline_table_body(report, options);
  out += '\n';
  append_footer(out, summary_lines(report.input), options);
  return out;
}

std::string render_timeline_table_body(const TimelineReport& report, const RenderOptions& options) {
  std::size_t per_char = table_buckets_per_char(report, options.width);
  std::string out;
  for (const std::string& line : wrap_parts(timeline_header_line(report, per_char), options.width, 2, " · ")) {
    out += line + '\n';
  }
  if (report.buckets == 0) {
    if (report.untimed > 0) append_wrapped(out, untimed_line(report), options.width);
    return out;
  }
  TerminalTable table = timeline_table(report, per_char);
  std::vector<std::size_t> widths = table_widths(table, options.width);
  Style style(options.color);
  std::size_t errors_column = report.by.size() + 1;
  CellStyle errors_style = [&](std::size_t column, const std::string& cell) {
    return column == errors_column ? style.error_count(cell) : cell;
  };
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = table_line(table, r, widths, errors_style);
    out += (r == 0 ? style.header(line) : line) + '\n';
  }
  if (report.untimed > 0) append_wrapped(out, untimed_line(report), options.width);
  return out;
}

std::string render_timeline_markdown(const TimelineReport& report) {
  std::string out = "### kubeblame timeline by ";
  for (std::size_t i = 0; i < report.by.size(); ++i) out += (i > 0 ? ", " : "") + report.by[i];
  out += "\n\n" + render_timeline_markdown_body(report) + '\n';
  for (const std::string& line : summary_lines(report.input)) out += "- " + escape_markdown(line) + '\n';
  return out;
}

std::string render_timeline_markdown_body(const TimelineReport& report) {
  std::size_t per_char = sparkline_buckets_per_char(report.buckets);
  std::string out = escape_markdown(timeline_header_line(report)) + "\n\n";
  if (report.buckets == 0) {
    if (report.untimed > 0) out += escape_markdown(untimed_line(report)) + "\n";
    return out;
  }
  out += '|';
  for (const std::string& dim : report.by) out += " " + dim + " |";
  out += " requests | errors | peak | peak at | " + spark_header(report) + " |\n|";
  for (std::size_t i = 0; i < report.by.size(); ++i) out += " --- |";
  out += " ---: | ---: | ---: | --- | --- |\n";
  std::vector<RowCells> rows =
      all_rows(report, [](const std::string& value) { return escape_markdown(value); }, per_char);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const RowCells& row = rows[r];
    bool labelled = r >= report.series.size();  // (other) and (total)
    out += '|';
    for (std::size_t k = 0; k < row.key.size(); ++k) {
      out += k == 0 && labelled ? " *" + row.key[k] + "* |" : " " + row.key[k] + " |";
    }
    out += " " + row.requests + " | " + row.errors + " | " + row.peak + " | " + row.peak_at + " | `" +
           code_span_spaces(row.spark) + "` |\n";
  }
  if (report.untimed > 0) out += "\n" + escape_markdown(untimed_line(report)) + "\n";
  return out;
}

}  // namespace kubeblame::report
