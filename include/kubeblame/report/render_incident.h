// Renderers for `kubeblame report`: the sections of the incident document one after another,
// each reusing its standalone renderer's body (top, errors, fights), with one input summary
// at the top. Table, markdown (for tickets: headings, tables, ```yaml hints) and JSON.
#pragma once

#include <string>

#include "kubeblame/report/incident_report.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

// kCsv has no single-table shape for a multi-section document: the caller refuses it.
std::string render_incident(const IncidentReport& report, OutputFormat format,
                            const RenderOptions& options);

std::string render_incident_table(const IncidentReport& report, const RenderOptions& options);
std::string render_incident_markdown(const IncidentReport& report);
std::string render_incident_json(const IncidentReport& report);
// render_incident_html() is in render_incident_html.h.

// "1,234 LIST requests: 1,000 from etcd (81.0%), 234 from the watch cache · etcd LISTs cost
// 12.34 s" and "why etcd: ..." ("" when there were no etcd LISTs), unescaped.
std::string list_sources_totals_line(const ListSourcesReport& report);
std::string list_sources_reasons_line(const ListSourcesReport& report);
// Input with only control-plane log lines and no audit event: the audit sections (top talkers,
// cost, LIST sources, fights, timeline) are left out of the table, markdown and HTML (JSON keeps
// them as empty rows), and incident_input() says why in input.warnings.
bool audit_sections_omitted(const IncidentReport& report);
// report.input, plus "no audit events in the input: only N control-plane log lines; audit
// sections omitted" among its warnings when audit_sections_omitted().
InputSummary incident_input(const IncidentReport& report);
// The LIST section's sentence when it has no rows: "No LIST requests.", or how many LISTs had no
// request URI to classify them by (GKE input), unescaped.
std::string no_list_rows(const ListSourcesReport& report);
// Where LISTs are served from and why (one sentence, for every format's LIST section).
std::string_view list_sources_note();

}  // namespace kubeblame::report
