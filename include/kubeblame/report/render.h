// Renderers: pure functions from a report to text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/output_format.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

struct RenderOptions {
  bool color = false;  // ANSI styling in the terminal table
  // Terminal columns the table output fits in: long cells are shortened with "…", footers
  // and hints wrapped. 0: unlimited, nothing is cut (see terminal_width.h).
  std::size_t width = 0;
};

std::string render_top(const TopReport& report, OutputFormat format, const RenderOptions& options);

std::string render_top_table(const TopReport& report, const RenderOptions& options);
std::string render_top_markdown(const TopReport& report);
std::string render_top_json(const TopReport& report);
std::string render_top_csv(const TopReport& report);

// The input accounting lines shared by the table and markdown footers (already escaped for
// the terminal; markdown escapes its own copy).
std::vector<std::string> summary_lines(const InputSummary& input);

// Appends footer lines (input summary, totals, warnings) styled as Style::footer, each wrapped
// at spaces to options.width with its continuation lines indented by two.
void append_footer(std::string& out, const std::vector<std::string>& lines, const RenderOptions& options);

// The "input" member of every JSON document (docs/json.md), without a leading comma.
void append_json_input(std::string& out, const InputSummary& input);
// The same object without the "input": key (diff has one per side).
void append_json_input_object(std::string& out, const InputSummary& input);
// A row's metrics as JSON members, without braces: "requests":N,"share":…,"last":"…".
void append_json_metrics(std::string& out, const RowMetrics& metrics, bool webhook = false);
// `"text"`: a JSON string value, escaped (always valid UTF-8).
void json_string_value(std::string& out, std::string_view text);
// How every JSON document starts: {"tool":"kubeblame","version":"…","command":"<command>"
// (no closing brace).
std::string json_document_head(std::string_view command);

// The "rows" and "other" members of `top`'s JSON, without a leading comma (kubeblame report
// nests them per section).
void append_top_json_rows(std::string& out, const TopReport& report);
// The terminal table / markdown table without the input summary after it.
std::string render_top_table_body(const TopReport& report, const RenderOptions& options);
std::string render_top_markdown_body(const TopReport& report);

}  // namespace kubeblame::report
