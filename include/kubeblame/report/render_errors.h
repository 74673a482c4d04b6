// Renderers for `kubeblame errors`: the terminal table (signature rows with an example and the
// top callers under each), markdown, JSON (docs/json.md) and CSV.
#pragma once

#include <string>

#include "kubeblame/report/errors_report.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

std::string render_errors(const ErrorsReport& report, OutputFormat format,
                          const RenderOptions& options);

std::string render_errors_table(const ErrorsReport& report, const RenderOptions& options);
std::string render_errors_markdown(const ErrorsReport& report);
std::string render_errors_json(const ErrorsReport& report);
std::string render_errors_csv(const ErrorsReport& report);

// The "rows" and "other" members of the JSON, without a leading comma (for kubeblame report).
void append_errors_json_rows(std::string& out, const ErrorsReport& report);
// The terminal table / markdown without the totals line and input summary after them.
std::string render_errors_table_body(const ErrorsReport& report, const RenderOptions& options);
std::string render_errors_markdown_body(const ErrorsReport& report);

// Shared cell text: "409" or "404,409" for audit rows, the level for log rows.
std::string error_code_or_level(const ErrorRow& row);
// "audit", or the log row's component ("apiserver-log" when the input named none).
std::string error_source_label(const ErrorRow& row);
// "kubectl (alice) ×3, helm (bob) ×1": the row's top callers, unescaped.
std::string error_callers_text(const ErrorRow& row);
// "errors 14 · 13 signatures · log levels error,fatal" (the first footer line).
std::string errors_totals_line(const ErrorsReport& report);

}  // namespace kubeblame::report
