// Renderers of `diff`: pure functions of a DiffReport (table, markdown, JSON, CSV).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kubeblame/report/diff_report.h"
#include "kubeblame/report/output_format.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

std::string render_diff(const DiffReport& report, OutputFormat format,
                        const RenderOptions& options);

std::string render_diff_table(const DiffReport& report, const RenderOptions& options);
std::string render_diff_markdown(const DiffReport& report);
std::string render_diff_json(const DiffReport& report);
std::string render_diff_csv(const DiffReport& report);

// "load down 4.1% (0.242/s → 0.232/s)": how one rate of the total changed, for people.
// `unit` follows each number ("/s", " s/s").
std::string change_sentence(std::string_view what, double before, double after,
                            const std::optional<double>& percent, std::string_view unit);

// The totals of both sides in words: load (requests/s), errors/s and cost (API-server s/s).
std::string totals_sentence(const DiffSum& total);

}  // namespace kubeblame::report
