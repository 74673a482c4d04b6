// Readers for the nested pieces of an audit event (user, objectRef, responseStatus, sourceIPs).
// Shared by the raw-event decoder and the decoders whose rows carry these pieces as JSON text.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "kubeblame/decode/record.h"
#include "kubeblame/model/audit_event.h"

namespace kubeblame::decode {

simdjson::error_code read_username(simdjson::ondemand::value& value, std::string_view& out);
simdjson::error_code read_last_string(simdjson::ondemand::value& value, std::string_view& out);
simdjson::error_code read_object_ref(simdjson::ondemand::value& value, model::AuditEvent& event);
simdjson::error_code read_status(simdjson::ondemand::value& value, model::AuditEvent& event);
simdjson::error_code read_body(simdjson::ondemand::value& value, std::string_view& out);
// Reads an annotations object: the latency breakdown (apiserver.latency.k8s.io/*), the admission
// webhooks (*.webhook.admission.k8s.io/round_*) and, when `truncation` is set,
// event.truncated_annotation ("audit.k8s.io/truncated": "true"). Views point into the parser's
// string buffer.
simdjson::error_code read_annotations(simdjson::ondemand::value& value, model::AuditEvent& event,
                                      bool truncation);
// One annotation (key, unescaped value) into the event's breakdown or webhooks; others are ignored.
void read_annotation(std::string_view key, std::string_view text, model::AuditEvent& event);
// False when an annotations object's JSON text cannot hold a breakdown or webhook annotation, so
// that it need not be parsed.
bool may_have_anatomy(std::string_view annotations_json);
// The same test on an annotations object's JSON text (Log Analytics' Annotations column).
bool has_truncated_annotation(std::string_view annotations_json);
model::Stage parse_stage(std::string_view text);
int parse_code(std::string_view text);

// Azure diagnostic categories. The audit ones ("kube-audit", "kube-audit-admin", any case) carry
// audit events; any other non-empty category ("kube-apiserver", "kube-controller-manager", "guard",
// ...) carries a component's log text.
bool is_audit_category(std::string_view category);
// The admin-only source (record.h AdminSource) a diagnostic category ("kube-audit-admin") or a
// Log Analytics Type column ("AKSAuditAdmin", "ArcK8sAuditAdmin") names, any case; nullopt for
// every other value.
std::optional<AdminSource> admin_source_of_category(std::string_view category);
std::optional<AdminSource> admin_source_of_table(std::string_view type);

}  // namespace kubeblame::decode
