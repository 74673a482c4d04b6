// Filter setup around the pipeline; the filtering itself is analyze::RecordFilter in the workers.
#include "kubeblame/app/filter_pass.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "kubeblame/report/format.h"

namespace kubeblame::app {

namespace {

// The input's last record time from a pass that only counts; nullopt when no record has one.
std::optional<model::TimeNs> last_record_time(const pipeline::PipelineOptions& options) {
  pipeline::PipelineOptions probe = options;
  probe.plan = analyze::AnalysisPlan{};  // no tables, no analyzers, no filter: accounting only
  pipeline::RunResult result = pipeline::run(probe);
  // Errors are reported by the real pass, which meets them again.
  const analyze::InputStats& stats = result.merged->stats();
  if (!stats.has_time()) return std::nullopt;
  return stats.last;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

void FilterPass::spool_stdin(const analyze::FilterSpec& filters, pipeline::PipelineOptions& options) {
  bool read_twice =
      filters.relative() || options.plan.apf_join_needed || !options.plan.apf_groupings.empty();
  if (!read_twice || spool_) return;
  auto stdin_at = std::find(options.inputs.begin(), options.inputs.end(), "-");
  if (stdin_at == options.inputs.end()) return;
  spool_ = std::make_unique<io::StdinSpool>();
  *stdin_at = spool_->path();
}

void FilterPass::prepare(const analyze::FilterSpec& filters, int verbosity,
                         pipeline::PipelineOptions& options) {
  analyze::RecordFilter& filter = options.plan.filter;
  filter.where = filters.where;
  bool relative = filters.relative();
  model::TimeNs last = 0;
  if (relative) {
    spool_stdin(filters, options);
    std::optional<model::TimeNs> found = last_record_time(options);
    if (!found) {
      // Nothing can be placed in the window: every record is filtered, and the run says so.
      spdlog::warn(
          "no record has a time, so a relative --since/--until cannot "
          "be applied");
      filter.since = std::numeric_limits<model::TimeNs>::max();
      return;
    }
    last = *found;
  }
  if (filters.since) filter.since = filters.since->resolve(last);
  if (filters.until) filter.until = filters.until->resolve(last);
  if (filter.since && filter.until && *filter.since >= *filter.until) {
    throw std::invalid_argument(
        fmt::format("--since '{}' ({}) is not before --until '{}' ({}): no record can "
                    "match",
                    filters.since->text, report::format_rfc3339(*filter.since), filters.until->text,
                    report::format_rfc3339(*filter.until)));
  }
  if (verbosity > 0 && (filter.since || filter.until)) {
    spdlog::info(
        "time window: [{}, {}){}", filter.since ? report::format_rfc3339(*filter.since) : "-",
        filter.until ? report::format_rfc3339(*filter.until) : "-",
        relative ? " (relative to the last record, " + report::format_rfc3339(last) + ")" : "");
  }
}

void FilterPass::restore_names(pipeline::PipelineOptions& options,
                               pipeline::RunResult& result) const {
  if (!spool_) return;
  const std::string& path = spool_->path();
  std::replace(options.inputs.begin(), options.inputs.end(), path, std::string("-"));
  for (pipeline::InputInfo& input : result.inputs) {
    if (input.path == path) input.path = "-";
  }
  for (std::string& error : result.errors) replace_all(error, path, "<stdin>");
}

}  // namespace kubeblame::app
