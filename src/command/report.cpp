// `kubeblame report`: the incident document. One pass computes every section: top talkers by
// agent and by user+verb+resource, the cost ranking, LIST sources, errors, fights and the
// timeline by agent. With kube-apiserver HTTP log lines among the inputs, a second pass joins
// them for the priority levels and flow schemas (docs/design.md, "APF join").
#include "command_units.h"

#include <algorithm>

#include "kubeblame/analyze/apf_join.h"
#include "kubeblame/analyze/errors/error_table.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/analyze/list_source.h"
#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/report/apf_findings.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render_incident.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame report --format markdown audit.log > ticket.md    paste into the incident ticket
  kubeblame report --format json logs/ | jq '.list_sources.rows[0]'
  kubeblame report --format html logs/ > incident.html        one page with charts, works offline
  kubeblame report --top 5 audit.log controlplane.json        the terminal view, 5 rows a section

One pass, one document: the input summary (files, formats, time span, line accounting,
warnings), top talkers by agent and by user+verb+resource, the cost ranking (API-server seconds
by agent+verb+resource), LIST requests served from etcd vs the watch cache, error signatures
(audit responses and control-plane logs), fights/hot loops with their hints, and requests over
time by agent (the timeline, with sparklines). With kube-apiserver HTTP log lines (-v=3) among
the inputs, a second pass adds the load and 429s by APF priority level and flow schema.
Exit codes: 0 ok, 1 nothing decoded, 2 usage or I/O error, 3 --strict and records were skipped.
)EX";

using analyze::Dimension;
const std::vector<Dimension> kByAgent = {Dimension::kAgent};
const std::vector<Dimension> kByUserVerbResource = {Dimension::kUser, Dimension::kVerb, Dimension::kResource};
const std::vector<Dimension> kByAgentVerbResource = {Dimension::kAgent, Dimension::kVerb, Dimension::kResource};
const std::vector<Dimension> kByWebhook = {Dimension::kWebhook};
const std::vector<Dimension> kByApf = {Dimension::kPriorityLevel, Dimension::kFlowSchema};

// One input summary for the document, with the warnings every part added (bounds hit).
void gather_warnings(report::IncidentReport& incident) {
  for (const report::InputSummary* part :
       {&incident.top_agents.input, &incident.top_user_verb_resource.input, &incident.cost.input,
        &incident.errors.input, &incident.fights.input, &incident.timeline.input}) {
    for (const std::string& warning : part->warnings) {
      auto& warnings = incident.input.warnings;
      if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) warnings.push_back(warning);
    }
  }
}

// The webhooks ranked by cost; requests that named none are left out (they are every other row).
report::TopReport webhooks_section(const analyze::GroupTable& table,
                                   const report::InputSummary& input, std::size_t top) {
  report::TopReport webhooks = report::build_top(table, input, report::SortKey::kCost, 0);
  std::erase_if(webhooks.rows,
                [](const report::Row& row) { return row.key.front() == analyze::kNone; });
  if (top != 0 && webhooks.rows.size() > top) webhooks.rows.resize(top);
  webhooks.other.reset();
  return webhooks;
}

class ReportCommand final : public Command {
 public:
  ReportCommand() : Command({"report", "The incident document: top talkers, cost, LIST sources, errors, fights and the timeline in one pass", kExamples, {"table", "markdown", "json", "html"}, true}) {}

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    cli::add_top_option(command, raw.report_top, "Rows per section; 0 = all");
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    config.top = raw.report_top;
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    plan.groupings = {kByAgent, kByUserVerbResource, kByAgentVerbResource, kByWebhook};
    analyze::ErrorOptions errors;
    errors.min_level = config.min_level;
    plan.analyzers.push_back(analyze::error_analyzer_factory(errors));
    plan.analyzers.push_back(analyze::fight_analyzer_factory(config.fights));
    plan.analyzers.push_back(analyze::list_source_analyzer_factory());
    plan.analyzers.push_back(analyze::timeline_analyzer_factory(
        {kByAgent, 0, analyze::timeline_group_bound(config.max_groups)}));
    // Priority levels and flow schemas: a second pass, only when HTTP log lines were read.
    plan.analyzers.push_back(analyze::apf_collector_factory());
    plan.apf_groupings = {kByApf};
  }

  Document render(const Analysis& analysis) const override {
    const analyze::Shard& shard = analysis.shard;
    const report::InputSummary& input = analysis.input;
    std::size_t top = analysis.config.top;
    report::IncidentReport incident;
    incident.top = top;
    incident.top_agents = report::build_top(shard.table(kByAgent), input, report::SortKey::kRequests, top);
    incident.top_user_verb_resource =
        report::build_top(shard.table(kByUserVerbResource), input, report::SortKey::kRequests, top);
    incident.cost = report::build_top(shard.table(kByAgentVerbResource), input, report::SortKey::kCost, top);
    incident.webhooks = webhooks_section(shard.table(kByWebhook), input, top);
    incident.errors = report::build_errors(shard.get<analyze::ErrorTable>(), input, top);
    incident.fights = report::build_fights(shard.get<analyze::FightAnalyzer>(), input, top);
    if (analysis.redact) report::redact_fight_values(incident.fights, *analysis.redact);
    incident.list_sources = report::build_list_sources(shard.get<analyze::ListSourceAnalyzer>(), top);
    incident.timeline = report::build_timeline(shard.get<analyze::TimelineAnalyzer>(), input, top);
    incident.input = input;
    if (const analyze::GroupTable* apf = shard.find_table(kByApf)) {
      incident.apf = report::build_top(*apf, input, report::SortKey::kRequests, top);
      if (auto guard = report::guard_finding(*apf)) incident.apf_findings.push_back(*guard);
    }
    gather_warnings(incident);
    return {report::render_incident(incident, analysis.config.format, analysis.render), std::nullopt};
  }
};

}  // namespace

const Command& report_command() {
  static const ReportCommand command;
  return command;
}

}  // namespace kubeblame::command
