// `kubeblame report --format html`: one self-contained HTML5 page (inline CSS and SVG, no
// script, nothing fetched from the network) that reads in light and dark mode and prints.
// Deterministic: the same report gives the same bytes (no clock, no random ids).
#pragma once

#include <string>

#include "kubeblame/report/errors_report.h"
#include "kubeblame/report/fights_report.h"
#include "kubeblame/report/incident_report.h"

namespace kubeblame::report {

std::string render_incident_html(const IncidentReport& report);

// The page's errors and fights sections (<section> elements), for render_incident_html.
std::string errors_html_section(const ErrorsReport& errors);
std::string fights_html_section(const FightsReport& fights);
// A top report as an HTML table with its columns (report/table_columns.h; default if none).
std::string html_top_table(const TopReport& top);
// "Where the time went", "Admission webhooks" and "API Priority and Fairness", each only when
// it has something to show (report/render_anatomy_html.cpp).
std::string anatomy_html_sections(const IncidentReport& report);

}  // namespace kubeblame::report
