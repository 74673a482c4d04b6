// Format dispatch and the input summary shared by the human-readable renderers.
#include "kubeblame/report/render.h"

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "markdown" || name == "md") return OutputFormat::kMarkdown;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "html") return OutputFormat::kHtml;
  return std::nullopt;
}

std::string render_top(const TopReport& report, OutputFormat format, const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_top_table(report, options);
    case OutputFormat::kMarkdown: return render_top_markdown(report);
    case OutputFormat::kJson: return render_top_json(report);
    case OutputFormat::kCsv: return render_top_csv(report);
    case OutputFormat::kHtml: break;  // report only
  }
  return {};
}

void append_footer(std::string& out, const std::vector<std::string>& lines, const RenderOptions& options) {
  Style style(options.color);
  for (const std::string& line : lines) {
    for (const std::string& part : wrap_parts(line, options.width, 2, " \xC2\xB7 ")) {
      out += style.footer(line, part) + '\n';
    }
  }
}

std::vector<std::string> summary_lines(const InputSummary& input) {
  std::vector<std::string> lines;
  std::string duplicates =
      input.duplicates > 0 ? " (duplicates " + format_count(input.duplicates) + ")" : "";
  std::string accounting = "lines " + format_count(input.lines) + " = decoded " +
                           format_count(input.decoded) + duplicates + " + filtered " +
                           format_count(input.filtered) + " + skipped " +
                           format_count(input.skipped_total);
  if (!input.skipped.empty()) {
    accounting += " (";
    for (std::size_t i = 0; i < input.skipped.size(); ++i) {
      if (i > 0) accounting += ", ";
      accounting += input.skipped[i].first + " " + format_count(input.skipped[i].second);
    }
    accounting += ")";
  }
  lines.push_back(accounting);

  std::string span = "events " + format_count(input.events) + " · requests " +
                     format_count(input.requests);
  if (input.log_lines > 0) span += " · log lines " + format_count(input.log_lines);
  if (input.first && input.last) {
    span += " · " + format_time_short(*input.first) + " → " + format_time_short(*input.last) +
            " (" + format_span(static_cast<double>(*input.last - *input.first) / 1e9) + ")";
  }
  lines.push_back(span);

  std::string formats = "formats: ";
  if (input.formats.empty()) formats += "none recognised";
  for (std::size_t i = 0; i < input.formats.size(); ++i) {
    if (i > 0) formats += ", ";
    formats += input.formats[i].first + " " + format_count(input.formats[i].second);
  }
  std::size_t files = input.files.size();
  formats += " · " + plural(files, "input");
  lines.push_back(formats);

  if (!input.filters.empty()) {
    std::string filters = "filters: ";
    for (std::size_t i = 0; i < input.filters.size(); ++i) {
      filters += (i > 0 ? " · " : "") + escape_terminal(input.filters[i]);
    }
    lines.push_back(filters);
  }

  if (!input.samples.empty()) {
    std::string samples = input.sampled_skips > input.samples.size() ? "first skipped: "
                                                                      : "skipped: ";
    for (std::size_t i = 0; i < input.samples.size(); ++i) {
      if (i > 0) samples += "; ";
      samples += escape_terminal(input.samples[i]);
    }
    lines.push_back(samples);
  }
  for (const std::string& warning : input.warnings) {
    lines.push_back("warning: " + escape_terminal(warning));
  }
  return lines;
}

}  // namespace kubeblame::report
