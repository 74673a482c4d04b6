// The normalized audit event every decoder produces and every analysis consumes.
// Plain data: string views point into the decoder's buffers and live until the next record.
#pragma once

#include <cstdint>
#include <string_view>

namespace kubeblame::model {

// Nanoseconds since the Unix epoch, UTC. 0 means "absent".
using TimeNs = std::int64_t;

enum class Stage : std::uint8_t {
  kAbsent,  // older logs and most hand-written events carry no stage
  kRequestReceived,
  kResponseStarted,
  kResponseComplete,
  kPanic,
  kUnknown,  // a stage value this version does not know
};

struct ObjectRef {
  std::string_view resource;
  std::string_view subresource;
  std::string_view api_group;
  std::string_view api_version;
  std::string_view namespace_name;
  std::string_view name;
};

struct AuditEvent {
  Stage stage = Stage::kAbsent;
  std::string_view audit_id;
  std::string_view verb;
  std::string_view request_uri;
  std::string_view username;
  std::string_view impersonated_user;
  std::string_view user_agent;
  std::string_view source_ip;  // the last entry of sourceIPs: the real peer
  bool has_object_ref = false;
  ObjectRef object_ref;
  int code = 0;  // 0 when the event carries no response status
  std::string_view reason;
  std::string_view message;
  TimeNs received = 0;  // requestReceivedTimestamp (or the best older equivalent)
  TimeNs stage_time = 0;  // stageTimestamp
  std::string_view request_object;  // raw JSON body when the level carried it; empty otherwise
  bool request_object_too_big = false;  // AKS "skipped-too-big-size-object"
  bool truncated_annotation = false;  // "audit.k8s.io/truncated": "true" (bodies dropped)
};

// The counting rule (docs/counting.md): which events are counted as requests. An upgrade (code
// 101: exec, attach, port-forward, websocket watches) is counted once, at ResponseStarted, because
// the session may outlive the log; its ResponseComplete is an event only.
inline bool is_counted_request(const AuditEvent& event) {
  switch (event.stage) {
    case Stage::kResponseComplete:
      return event.code != 101;
    case Stage::kPanic:
    case Stage::kAbsent:
      return true;
    case Stage::kResponseStarted:
      return event.code == 401 || event.code == 101;
    case Stage::kRequestReceived:
    case Stage::kUnknown:
      return false;
  }
  return false;
}

// Long-running requests: their duration is a lifetime, not a latency.
inline bool is_long_running(const AuditEvent& event) {
  return event.verb == "watch" || event.code == 101;
}

// The time a request is attributed to: when it was received, else when the stage was logged.
inline TimeNs event_time(const AuditEvent& event) {
  return event.received != 0 ? event.received : event.stage_time;
}

}  // namespace kubeblame::model
