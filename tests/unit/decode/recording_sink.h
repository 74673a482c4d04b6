// Test helpers for decoders: a sink that keeps copies of what it is told (events as owned
// strings, since the decoders' views die with the next record), and records padded for simdjson.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/decode/record.h"

namespace kubeblame::test {

struct EventCopy {
  model::Stage stage = model::Stage::kAbsent;
  std::string audit_id, verb, request_uri, username, impersonated_user, user_agent, source_ip;
  bool has_object_ref = false;
  std::string resource, subresource, api_group, api_version, namespace_name, name;
  int code = 0;
  std::string reason, message;
  model::TimeNs received = 0, stage_time = 0;
  std::string request_object;
  bool request_object_too_big = false;
  bool truncated_annotation = false;
  model::LatencyBreakdown latency;
  struct Webhook {
    std::string configuration, name;
    bool mutated = false, failed_open = false, validating = false;
    bool operator==(const Webhook&) const = default;
  };
  std::vector<Webhook> webhooks;
  int webhooks_dropped = 0;
  decode::Format format = decode::Format::kUnknown;
};

struct LogCopy {
  model::LogShape shape = model::LogShape::kOther;
  model::LogLevel level = model::LogLevel::kUnknown;
  model::TimeNs time = 0;
  std::string component, source, message, text;
  decode::Format format = decode::Format::kUnknown;
};

struct SkipCopy {
  decode::SkipReason reason;
  decode::Format format;
  bool operator==(const SkipCopy&) const = default;
};

class RecordingSink : public decode::EventSink {
 public:
  void on_event(const model::AuditEvent& e, decode::Format format) override {
    EventCopy c;
    c.stage = e.stage;
    c.audit_id = e.audit_id;
    c.verb = e.verb;
    c.request_uri = e.request_uri;
    c.username = e.username;
    c.impersonated_user = e.impersonated_user;
    c.user_agent = e.user_agent;
    c.source_ip = e.source_ip;
    c.has_object_ref = e.has_object_ref;
    c.resource = e.object_ref.resource;
    c.subresource = e.object_ref.subresource;
    c.api_group = e.object_ref.api_group;
    c.api_version = e.object_ref.api_version;
    c.namespace_name = e.object_ref.namespace_name;
    c.name = e.object_ref.name;
    c.code = e.code;
    c.reason = e.reason;
    c.message = e.message;
    c.received = e.received;
    c.stage_time = e.stage_time;
    c.request_object = e.request_object;
    c.request_object_too_big = e.request_object_too_big;
    c.truncated_annotation = e.truncated_annotation;
    c.latency = e.latency;
    for (std::uint8_t i = 0; i < e.webhooks.count; ++i) {
      const model::WebhookCall& call = e.webhooks.calls[i];
      c.webhooks.push_back({std::string(call.configuration), std::string(call.name), call.mutated,
                            call.failed_open, call.validating});
    }
    c.webhooks_dropped = e.webhooks.dropped;
    c.format = format;
    events.push_back(std::move(c));
  }
  void on_skip(decode::SkipReason reason, decode::Format format) override {
    skips.push_back({reason, format});
  }
  void on_log_line(const model::LogLine& line, decode::Format format) override {
    logs.push_back({line.shape, line.level, line.time, std::string(line.component),
                    std::string(line.source), std::string(line.message), std::string(line.text),
                    format});
  }
  void on_export_cut(decode::ExportCut cut) override { cuts.push_back(cut); }
  void on_admin_source(decode::AdminSource source) override { admins.push_back(source); }
  std::size_t calls() const { return events.size() + skips.size() + logs.size(); }

  std::vector<EventCopy> events;
  std::vector<LogCopy> logs;
  std::vector<SkipCopy> skips;
  std::vector<decode::ExportCut> cuts;  // notes, not records: calls() leaves them out
  std::vector<decode::AdminSource> admins;  // notes too
};

// Owns a record's bytes followed by simdjson's padding; not copyable so record() stays valid.
class PaddedRecord {
 public:
  explicit PaddedRecord(std::string_view text, const decode::InputContext* context = nullptr)
      : bytes_(text), size_(text.size()), context_(context) {
    bytes_.append(simdjson::SIMDJSON_PADDING, ' ');
  }
  PaddedRecord(const PaddedRecord&) = delete;
  PaddedRecord& operator=(const PaddedRecord&) = delete;
  decode::Record record() const { return {bytes_.data(), size_, bytes_.size(), context_}; }

 private:
  std::string bytes_;
  std::size_t size_;
  const decode::InputContext* context_;
};

// Nanoseconds for a whole-second epoch time plus a fraction.
constexpr model::TimeNs ns(std::int64_t seconds, std::int64_t nanos = 0) {
  return seconds * 1'000'000'000 + nanos;
}

}  // namespace kubeblame::test
