// Decoder for GKE Cloud Audit Logs: Cloud Logging `LogEntry` records whose protoPayload is an
// AuditLog written by the `k8s.io` service, from `gcloud logging read --format=json` (one array)
// or a log sink to Cloud Storage (one entry per line). docs/formats.md has the field mapping.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

// What a gRPC status code (protoPayload.status.code) says in HTTP terms: the code kube-apiserver
// answered with and its Kubernetes status reason. 0 (OK) is {200, ""}.
struct HttpStatus {
  int code = 200;
  std::string_view reason;
};
HttpStatus http_status_for_grpc(std::int64_t grpc_code);

// The verb of a methodName: its last dot-separated segment (`io.k8s.core.v1.pods.list` -> list).
std::string_view verb_of_method(std::string_view method_name);

// Reads a resourceName (`core/v1/namespaces/ns/pods/web-0/status`,
// `apps/v1/namespaces/ns/deployments`, `core/v1/nodes/n1`) into `ref`. False, leaving `ref`
// empty, for anything else (a non-resource path such as `/readyz`, an empty name).
bool parse_resource_name(std::string_view resource_name, model::ObjectRef& ref);

// The resource a methodName names when the entry has no resourceName
// (`io.k8s.core.v1.componentstatuses.list`, `io.k8s.apps.v1.deployments.scale.patch`). The API
// group is rebuilt from the reversed prefix into `group` (which `ref.api_group` then views).
// False when no segment is an API version.
bool parse_method_resource(std::string_view method_name, model::ObjectRef& ref, std::string& group);

class GkeEntryDecoder : public Decoder {
 public:
  explicit GkeEntryDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& sink) override;

 private:
  struct EntryFields;
  // Returns false when the object is not a LogEntry.
  bool decode_entry(simdjson::ondemand::object object, Format format, EventSink& sink);
  void decode_elements(simdjson::ondemand::array array, EventSink& sink);
  simdjson::error_code read_entry(simdjson::ondemand::object object, EntryFields& entry);
  simdjson::error_code read_payload(simdjson::ondemand::value& value, EntryFields& entry);
  void settle(const EntryFields& entry);

  ParseContext& context_;
  model::AuditEvent event_;
  std::string method_group_;
};

}  // namespace kubeblame::decode
