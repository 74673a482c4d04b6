// Renderers for `kubeblame fights`: the terminal view (a ranked table, then per row the writer
// legend behind the pattern letters, the contested fields with each writer's value, and the
// hint as an indented block), markdown (table, details, ```yaml hints), JSON (docs/json.md)
// and CSV.
#pragma once

#include <string>

#include "kubeblame/report/fights_report.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

std::string render_fights(const FightsReport& report, OutputFormat format,
                          const RenderOptions& options);

std::string render_fights_table(const FightsReport& report, const RenderOptions& options);
std::string render_fights_markdown(const FightsReport& report);
std::string render_fights_json(const FightsReport& report);
std::string render_fights_csv(const FightsReport& report);

// The "rows", "objects_written", "writes", "excluded" and "other" members of the JSON, without
// a leading comma (for kubeblame report).
void append_fights_json_rows(std::string& out, const FightsReport& report);
// The terminal view / markdown without the totals lines and input summary after them.
std::string render_fights_table_body(const FightsReport& report, const RenderOptions& options);
std::string render_fights_markdown_body(const FightsReport& report);

// Shared text, unescaped:
// "1 fight · 0 conflict bursts · 1 hot loop · 25 objects written · 338 writes"
std::string fights_totals_line(const FightsReport& report);
// "left out as normal traffic: 840 lease writes, 68 kubelet status heartbeats" ("" if none)
std::string fights_excluded_line(const FightsReport& report);
// "225" or "≥225" when flips were counted over a window of the latest writes.
std::string fights_flips_text(const FightRow& row);
// "113 writes, 15 conflicts (update,patch)"
std::string fights_writer_counts(const FightWriter& writer);

}  // namespace kubeblame::report
