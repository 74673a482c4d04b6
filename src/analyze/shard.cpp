// Per-event work: accounting, the counting rule, and one group-table update per grouping.
#include "kubeblame/analyze/shard.h"

#include <algorithm>

namespace kubeblame::analyze {

Shard::Shard(const AnalysisPlan& plan) {
  for (const auto& dims : plan.groupings) tables_.emplace_back(dims);
}

void Shard::on_skip(decode::SkipReason reason, decode::Format format) {
  ++stats_.lines;
  ++stats_.skipped[static_cast<std::size_t>(reason)];
  ++stats_.formats[static_cast<std::size_t>(format)];
  stats_.add_sample(SkipSample{input_, line_, reason});
}

void Shard::on_event(const model::AuditEvent& event, decode::Format format) {
  ++stats_.lines;
  ++stats_.formats[static_cast<std::size_t>(format)];
  ++stats_.decoded;
  ++stats_.events;
  model::TimeNs time = model::event_time(event);
  if (time != 0) {
    stats_.first = std::min(stats_.first, time);
    stats_.last = std::max(stats_.last, time);
  }
  if (!model::is_counted_request(event)) return;
  ++stats_.requests;

  RequestFacts facts;
  facts.time = time;
  facts.error = event.code >= 400;
  facts.long_running = model::is_long_running(event);
  if (!facts.long_running && event.received != 0 && event.stage_time >= event.received) {
    facts.latency_ns = event.stage_time - event.received;
  }
  values_.reset(event);
  for (GroupTable& table : tables_) {
    const auto& dims = table.dimensions();
    key_.resize(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) key_[d] = values_.get(dims[d]);
    table.add(key_, facts);
  }
}

void Shard::merge(const Shard& other) {
  stats_.merge(other.stats_);
  for (std::size_t i = 0; i < tables_.size(); ++i) tables_[i].merge(other.tables_[i]);
}

}  // namespace kubeblame::analyze
