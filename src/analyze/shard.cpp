// Per-event work: accounting, the counting rule, and one group-table update per grouping.
#include "kubeblame/analyze/shard.h"

#include <algorithm>
#include <optional>

#include "kubeblame/analyze/timeline/timeline.h"

namespace kubeblame::analyze {

Shard::Shard(const AnalysisPlan& plan) {
  for (const auto& dims : plan.groupings) tables_.emplace_back(dims, plan.max_groups);
  groups_.resize(tables_.size(), kNoGroup);
  // Narrow tables derived from the narrowest wider table, if any (see Derived).
  auto multi_valued = [&](std::size_t t) {
    const auto& dims = tables_[t].dimensions();
    return std::find(dims.begin(), dims.end(), Dimension::kWebhook) != dims.end();
  };
  for (std::size_t t = 0; t < tables_.size(); ++t) {
    const auto& dims = tables_[t].dimensions();
    for (Dimension d : dims) {
      auto& known = table_dimensions_;
      if (std::find(known.begin(), known.end(), d) == known.end()) known.push_back(d);
    }
    // A request may count in several groups of a webhook table: it is neither derived from
    // another table nor the parent of one.
    if (multi_valued(t)) {
      webhook_tables_.push_back(t);
      continue;
    }
    std::optional<std::size_t> parent;
    for (std::size_t p = 0; p < tables_.size(); ++p) {
      const auto& wider = tables_[p].dimensions();
      if (p == t || wider.size() <= dims.size() || multi_valued(p)) continue;
      bool covers = std::all_of(dims.begin(), dims.end(), [&](Dimension d) {
        return std::find(wider.begin(), wider.end(), d) != wider.end();
      });
      if (covers && (!parent || wider.size() < tables_[*parent].dimensions().size())) parent = p;
    }
    if (parent) {
      derived_.push_back(Derived{t, *parent, {}, 0, 0});
    } else {
      lookup_order_.push_back(t);
    }
  }
  for (const auto& make : plan.analyzers) {
    analyzers_.push_back(make());
    if (analyzers_.back()->type() == analyzer_type<ApfCollector>())
      apf_collector_ = &analyzer_cast<ApfCollector>(*analyzers_.back());
  }
  if (plan.redact) redactor_.emplace(*plan.redact);
  if (!plan.filter.empty()) filter_.emplace(plan.filter);
  apf_join_ = plan.apf_join.get();
  stats_.apf_joined = apf_join_ != nullptr;
  values_.set_apf_join(apf_join_);
  filter_values_.set_apf_join(apf_join_);
}

bool Shard::reads_bodies() const {
  return std::any_of(analyzers_.begin(), analyzers_.end(),
                     [](const auto& analyzer) { return analyzer->reads_bodies(); });
}

void Shard::on_log_line(const model::LogLine& raw_line, decode::Format format) {
  if (apf_collector_ != nullptr) apf_collector_->read(raw_line);
  ++stats_.lines;
  ++stats_.formats[static_cast<std::size_t>(format)];
  stats_.count_record(input_, format, raw_line.time);
  if (filter_ && !filter_->keep_log_line(raw_line)) {
    ++stats_.filtered;
    return;
  }
  const model::LogLine& line = redactor_ ? redactor_->redact(raw_line) : raw_line;
  ++stats_.decoded;
  ++stats_.log_lines;
  if (line.time != 0) {
    stats_.first = std::min(stats_.first, line.time);
    stats_.last = std::max(stats_.last, line.time);
  }
  EventPosition position{input_, line_};
  for (auto& analyzer : analyzers_) analyzer->on_log_line(line, format, position);
}

void Shard::on_group(const model::WeightedGroup& group, decode::Format format) {
  if (!weighted_.add(group)) {
    on_skip(decode::SkipReason::kBadResultRow, format);
    return;
  }
  ++stats_.lines;
  ++stats_.formats[static_cast<std::size_t>(format)];
  stats_.count_record(input_, format, group.first);
  ++stats_.decoded;
  ++stats_.weighted_rows;
}

std::optional<std::string> Shard::fill_weighted(const std::vector<WhereClause>& where,
                                                std::vector<std::string>* uncovered) {
  std::optional<FillTotals> totals;  // of the first grouping filled: every one sums the same
  auto filled = [&](std::optional<std::string> error, const FillTotals& kept) {
    if (error && uncovered) uncovered->push_back(std::move(*error));
    if (error) return uncovered != nullptr;
    if (!totals) totals = kept;
    return true;
  };
  for (GroupTable& table : tables_) {
    FillTotals kept;
    std::optional<std::string> error = weighted_.fill(table, where, kept);
    if (!filled(error, kept)) return error;
  }
  if (auto* timeline = find_planned<TimelineAnalyzer>()) {
    FillTotals kept;
    std::optional<std::string> error = weighted_.fill(*timeline, where, kept);
    if (!filled(error, kept)) return error;
  }
  FillTotals kept = totals.value_or(FillTotals{});
  stats_.requests = kept.requests;
  stats_.first = kept.first;
  stats_.last = kept.last;
  return std::nullopt;
}

void Shard::regroup(const std::vector<Dimension>& from, const std::vector<Dimension>& to) {
  for (GroupTable& table : tables_) {
    if (table.dimensions() == from) table = GroupTable(to, table.max_groups());
  }
}

void Shard::on_skip(decode::SkipReason reason, decode::Format format) {
  ++stats_.lines;
  ++stats_.skipped[static_cast<std::size_t>(reason)];
  // A blank line is no record of any format: no format count, no export row, no sample.
  if (reason == decode::SkipReason::kBlank) return;
  ++stats_.formats[static_cast<std::size_t>(format)];
  stats_.count_record(input_, format, 0);
  ++stats_.files[input_].skipped;
  // A CloudWatch health check is expected data, not damage: no sample either.
  if (reason == decode::SkipReason::kControlMessage) return;
  stats_.add_sample(SkipSample{input_, line_, reason});
}

void Shard::on_event(const model::AuditEvent& raw_event, decode::Format format) {
  // The seen-event lookup misses the cache: it is prefetched here and done once this event's
  // values are computed (analyze/seen_events.h).
  bool has_key = seen_ != nullptr && !raw_event.audit_id.empty();
  std::uint64_t key = has_key ? SeenEvents::key(raw_event.audit_id, raw_event.stage) : 0;
  if (has_key) seen_->prefetch(key);
  ++stats_.lines;
  ++stats_.formats[static_cast<std::size_t>(format)];
  model::TimeNs time = model::event_time(raw_event);
  // Export-limit signs are about the input, whatever --since/--until/--where keep of it.
  stats_.count_record(input_, format, time);
  if (time != 0) stats_.event_times.add(time);
  stats_.bodies_too_big += raw_event.request_object_too_big ? 1 : 0;
  stats_.truncated_events += raw_event.truncated_annotation ? 1 : 0;
  // Filters see the raw event; without --redact the values they computed are reused below.
  bool values_ready = false;
  if (filter_) {
    DimensionValues& values = redactor_ ? filter_values_ : values_;
    values.reset(raw_event);
    if (!filter_->keep_event(raw_event, time, values)) {
      ++stats_.filtered;
      return;
    }
    values_ready = !redactor_;
  }
  const model::AuditEvent& event = redactor_ ? redactor_->redact(raw_event) : raw_event;
  bool counted = model::is_counted_request(event);
  if (!values_ready) values_.reset(event);
  // A copy of an event already counted is decoded but not counted again. The group keys' values
  // are computed first (they are needed anyway), while the prefetch completes.
  if (has_key) {
    if (counted) {
      for (Dimension dimension : table_dimensions_) values_.get(dimension);
    }
    if (auto first = seen_->insert(key, input_)) {
      stats_.count_duplicate(*first, input_);
      return;
    }
  }
  ++stats_.decoded;
  ++stats_.events;
  if (time != 0) {
    stats_.first = std::min(stats_.first, time);
    stats_.last = std::max(stats_.last, time);
  }
  if (!analyzers_.empty()) {
    EventPosition position{input_, line_};
    for (auto& analyzer : analyzers_) analyzer->on_event(event, counted, values_, position);
  }
  if (counted) add_request(event, time);
}

// One counted request into every group table.
void Shard::add_request(const model::AuditEvent& event, model::TimeNs time) {
  ++stats_.requests;
  if (apf_join_ != nullptr && apf_join_->find(event.audit_id) == nullptr) ++stats_.apf_unjoined;
  RequestFacts facts = request_facts(event, time);
  // Every table first finds its group, then prefetches, then counts: the tables' cache misses
  // (group metrics, latency counters) overlap instead of following one another.
  auto locate = [&](std::size_t t) {
    const auto& dims = tables_[t].dimensions();
    key_.resize(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) key_[d] = values_.get(dims[d]);
    return tables_[t].locate(key_);
  };
  for (std::size_t t : lookup_order_) groups_[t] = locate(t);
  for (Derived& derived : derived_) {
    GroupTable& table = tables_[derived.table];
    if (derived.parent_generation != tables_[derived.parent].generation() ||
        derived.generation != table.generation()) {
      derived.group_of.clear();
      derived.parent_generation = tables_[derived.parent].generation();
      derived.generation = table.generation();
    }
    std::size_t wide = groups_[derived.parent];
    if (wide < derived.group_of.size() && derived.group_of[wide] != 0) {
      groups_[derived.table] = derived.group_of[wide] - 1;
      table.touch(groups_[derived.table]);
      continue;
    }
    std::size_t group = locate(derived.table);
    groups_[derived.table] = group;
    if (derived.generation != table.generation()) {  // the lookup folded the narrow table
      derived.group_of.clear();
      derived.generation = table.generation();
    }
    if (wide >= derived.group_of.size()) derived.group_of.resize(wide + 1, 0);
    derived.group_of[wide] = static_cast<std::uint32_t>(group + 1);
  }
  for (std::size_t t = 0; t < tables_.size(); ++t) {
    if (groups_[t] != kNoGroup) tables_[t].prefetch(groups_[t], facts);
  }
  for (std::size_t t = 0; t < tables_.size(); ++t) {
    if (groups_[t] != kNoGroup) tables_[t].add_to(groups_[t], facts);
  }
  if (!webhook_tables_.empty()) add_to_webhook_tables(event, facts);
}

// A request counts once under each webhook it names, or once under "(none)".
void Shard::add_to_webhook_tables(const model::AuditEvent& event, RequestFacts facts) {
  // Most requests name no webhook: a table grouped by webhook alone finds "(none)" once.
  if (event.webhooks.count == 0 && add_to_none_groups(facts)) return;
  std::size_t calls = std::max<std::size_t>(event.webhooks.count, 1);
  for (std::size_t i = 0; i < calls; ++i) {
    values_.select_webhook(i);
    if (i < event.webhooks.count) {
      const model::WebhookCall& call = event.webhooks.calls[i];
      facts.mutated = call.mutated;
      facts.failed_open = call.failed_open;
      // A webhook's time is the request's time in webhooks of its kind.
      if (facts.traced) {
        auto part = call.validating ? model::LatencyPart::kValidatingWebhook
                                    : model::LatencyPart::kMutatingWebhook;
        facts.webhook_ns = std::max<std::int64_t>(event.latency.get(part), 0);
      }
    }
    for (std::size_t t : webhook_tables_) {
      const auto& dims = tables_[t].dimensions();
      key_.resize(dims.size());
      for (std::size_t d = 0; d < dims.size(); ++d) key_[d] = values_.get(dims[d]);
      tables_[t].add(key_, facts);
    }
  }
  values_.select_webhook(0);
}

bool needs_apf_join(const std::vector<Dimension>& by) {
  return std::any_of(by.begin(), by.end(), [](Dimension d) {
    return d == Dimension::kPriorityLevel || d == Dimension::kFlowSchema;
  });
}

// True when every webhook table is grouped by webhook alone, so a request naming none goes to
// each table's remembered "(none)" group (found again after the table renumbers its groups).
bool Shard::add_to_none_groups(const RequestFacts& facts) {
  if (none_groups_.empty()) {
    for (std::size_t t : webhook_tables_) {
      if (tables_[t].dimensions().size() != 1) return false;
    }
    none_groups_.resize(webhook_tables_.size());
  }
  for (std::size_t i = 0; i < webhook_tables_.size(); ++i) {
    GroupTable& table = tables_[webhook_tables_[i]];
    NoneGroup& none = none_groups_[i];
    if (!none.known || none.generation != table.generation()) {
      std::string_view key = kNone;
      none.group = table.locate({&key, 1});
      none.generation = table.generation();
      none.known = true;
    }
    table.add_to(none.group, facts);
  }
  return true;
}

RequestFacts request_facts(const model::AuditEvent& event, model::TimeNs time) {
  RequestFacts facts;
  facts.time = time;
  facts.error = event.code >= 400;
  facts.throttled = event.code == 429;
  facts.long_running = model::is_long_running(event);
  if (!facts.long_running && event.received != 0 && event.stage_time >= event.received) {
    facts.latency_ns = event.stage_time - event.received;
  }
  const model::LatencyBreakdown& latency = event.latency;
  if (latency.traced) {
    auto part = [&](model::LatencyPart p) { return std::max<std::int64_t>(latency.get(p), 0); };
    facts.traced = true;
    facts.etcd_ns = part(model::LatencyPart::kEtcd);
    facts.webhook_ns =
        part(model::LatencyPart::kMutatingWebhook) + part(model::LatencyPart::kValidatingWebhook);
    facts.apf_wait_ns = part(model::LatencyPart::kApfQueueWait);
  }
  return facts;
}

const GroupTable& Shard::table(const std::vector<Dimension>& by) const {
  const GroupTable* found = find_table(by);
  if (found == nullptr) std::abort();  // the command asked for a grouping it did not plan
  return *found;
}

const GroupTable* Shard::find_table(const std::vector<Dimension>& by) const {
  for (const GroupTable& table : tables_) {
    if (table.dimensions() == by) return &table;
  }
  return nullptr;
}

void Shard::adopt_tables(Shard& other) {
  for (GroupTable& table : other.tables_) tables_.push_back(std::move(table));
  other.tables_.clear();
  stats_.apf_joined = stats_.apf_joined || other.stats_.apf_joined;
  stats_.apf_unjoined += other.stats_.apf_unjoined;
}

const Analyzer& Shard::find(AnalyzerType type) const {
  for (const auto& analyzer : analyzers_) {
    if (analyzer->type() == type) return *analyzer;
  }
  std::abort();  // the command asked for an analysis it did not plan
}

Analyzer& Shard::find(AnalyzerType type) {
  for (auto& analyzer : analyzers_) {
    if (analyzer->type() == type) return *analyzer;
  }
  std::abort();
}

// Analyzers pair up by type: both shards were made from one plan.
void Shard::merge(Shard& other) {
  stats_.merge(other.stats_);
  weighted_.merge(other.weighted_);
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    tables_[i].merge(other.tables_[i]);
    // Free the merged-away groups now: with --max-groups, each worker's table can be large.
    other.tables_[i] = GroupTable(other.tables_[i].dimensions(), other.tables_[i].max_groups());
  }
  for (std::size_t i = 0; i < analyzers_.size(); ++i) analyzers_[i]->merge_same_type(*other.analyzers_[i]);
}

}  // namespace kubeblame::analyze
