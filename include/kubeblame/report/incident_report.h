// Report data for `kubeblame report`: the one-shot incident document. Every part is the
// report struct of the standalone command (top, errors, fights) plus the LIST-source ranking,
// all built from one pass and rendered by render_incident() as table, markdown or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/errors_report.h"
#include "kubeblame/report/fights_report.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/report.h"
#include "kubeblame/report/timeline_report.h"

namespace kubeblame::report {

// LIST requests of one (agent, resource), split by where the API server served them.
struct ListSourceRow {
  std::string agent;
  std::string resource;
  std::uint64_t lists = 0;   // counted LIST requests
  std::uint64_t etcd = 0;    // served from etcd (see analyze/list_source.h for the rule)
  std::uint64_t cache = 0;   // served from the watch cache
  double cost_s = 0;         // latency summed over all its LISTs
  double etcd_cost_s = 0;    // latency summed over the etcd ones
  double share = 0;          // lists / all LIST requests (0..1)
};

struct ListSourcesReport {
  std::size_t top = 10;
  std::vector<ListSourceRow> rows;  // ranked by etcd lists, then etcd cost, lists, agent, resource
  std::uint64_t other_rows = 0;     // groups beyond --top
  ListSourceRow other;              // their sums (agent/resource empty)
  ListSourceRow total;              // all LIST requests
  // Why LISTs went to etcd (each etcd LIST counts once, under the first reason that applies):
  std::uint64_t etcd_no_resource_version = 0;  // resourceVersion unset or empty: consistent read
  std::uint64_t etcd_continue = 0;             // a continue token (the cache cannot page)
  std::uint64_t etcd_limit = 0;                // limit>0 with resourceVersion other than "0"
  std::uint64_t etcd_exact = 0;                // resourceVersionMatch other than NotOlderThan
  std::uint64_t without_uri = 0;  // LISTs with no request URI (GKE): in no row, source unknown
};

struct IncidentReport {
  std::string command = "report";
  std::size_t top = 10;
  InputSummary input;
  TopReport top_agents;              // top --by agent
  TopReport top_user_verb_resource;  // top --by user,verb,resource
  TopReport cost;                    // top --by agent,verb,resource --sort cost
  ListSourcesReport list_sources;
  ErrorsReport errors;
  FightsReport fights;
  TimelineReport timeline;           // requests per interval by agent (top agents)
  TopReport webhooks;                // top --by webhook --sort cost, without (none)
  // top --by priority_level,flow_schema: only when HTTP log lines were read and joined.
  std::optional<TopReport> apf;
  std::vector<std::string> apf_findings;  // the AKS guard throttling, if it did
};

// "Where the time went" and "Admission webhooks" (report/render_anatomy.cpp).
std::string anatomy_table(const IncidentReport& report, const RenderOptions& options);
std::string anatomy_markdown(const IncidentReport& report);
// Findings: webhooks that fail open or are slow, with their configuration.
std::vector<std::string> webhook_findings(const TopReport& webhooks);
// "API Priority and Fairness" (report/render_anatomy.cpp); "" without the APF view.
std::string apf_table(const IncidentReport& report, const RenderOptions& options);
std::string apf_markdown(const IncidentReport& report);
// The APF view's title and the note under it (where the names come from).
std::string apf_title(const TopReport& apf);
std::string_view apf_note();
// The sections' titles and notes, shared by every format.
std::string_view time_title();
std::string_view time_note();
std::string_view webhook_title();
// The APF view as a top table (its columns) and the traced-time split (render_anatomy.cpp).
TopReport apf_columns(const TopReport& apf);
TopReport time_split(const IncidentReport& report);

}  // namespace kubeblame::report
