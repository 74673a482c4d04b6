// The normalized audit event every decoder produces and every analysis consumes.
// Plain data: string views point into the decoder's buffers and live until the next record.
#pragma once

#include <array>
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

// The parts of a slow request's latency the kube-apiserver writes as apiserver.latency.k8s.io/*
// audit annotations (docs/counting.md, "Where the time went").
enum class LatencyPart : std::uint8_t {
  kEtcd,
  kMutatingWebhook,
  kValidatingWebhook,
  kApfQueueWait,
  kSerializeResponseObject,
  kTransformResponseObject,
  kResponseWrite,
  kDecodeResponseObject,
  kAuthentication,
  kAuthorization,
  kTotal,
  kCount,
};
inline constexpr std::size_t kLatencyPartCount = static_cast<std::size_t>(LatencyPart::kCount);

// Nanoseconds per part; -1 where the annotation is absent, unreadable or negative.
struct LatencyBreakdown {
  std::array<std::int64_t, kLatencyPartCount> ns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  bool traced = false;  // at least one part was read

  std::int64_t get(LatencyPart part) const { return ns[static_cast<std::size_t>(part)]; }
  void set(LatencyPart part, std::int64_t value) {
    ns[static_cast<std::size_t>(part)] = value;
    traced = true;
  }
};

// One admission webhook named by the request's annotations (mutation.*, patch.*, failed-open.*).
struct WebhookCall {
  std::string_view configuration;  // empty when only a failed-open annotation names it
  std::string_view name;
  bool mutated = false;
  bool failed_open = false;
  bool validating = false;  // named by failed-open.validating.*; mutating otherwise
};

// The webhooks of one request: a fixed array, so decoding allocates nothing. Calls past the
// array's size are counted, not kept.
struct WebhookCalls {
  static constexpr std::size_t kMax = 8;
  std::array<WebhookCall, kMax> calls{};
  std::uint8_t count = 0;
  std::uint8_t dropped = 0;

  // The call of this webhook, added if new; null when the array is full.
  WebhookCall* find_or_add(std::string_view configuration, std::string_view name);
};

inline WebhookCall* WebhookCalls::find_or_add(std::string_view configuration,
                                              std::string_view name) {
  for (std::uint8_t i = 0; i < count; ++i) {
    WebhookCall& call = calls[i];
    if (call.name != name) continue;
    if (call.configuration.empty()) call.configuration = configuration;
    if (configuration.empty() || call.configuration == configuration) return &call;
  }
  if (count == kMax) {
    if (dropped < 255) ++dropped;
    return nullptr;
  }
  calls[count] = WebhookCall{configuration, name};
  return &calls[count++];
}

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
  // (also empty from an AKSAudit RequestObject column when no analyzer reads bodies)
  bool request_object_too_big = false;  // AKS "skipped-too-big-size-object"
  bool truncated_annotation = false;  // "audit.k8s.io/truncated": "true" (bodies dropped)
  LatencyBreakdown latency;           // apiserver.latency.k8s.io/* annotations
  WebhookCalls webhooks;              // *.webhook.admission.k8s.io/round_* annotations
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
