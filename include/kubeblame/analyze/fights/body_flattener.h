// Flattens a write's request body (a full object, a JSON merge / strategic-merge patch, or a
// JSON Patch array) into leaf paths and JSON-text values, so the fight detector can tell which
// fields two writers keep setting to different values.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kubeblame::analyze {

// Paths are jq path expressions, usable as ArgoCD `jqPathExpressions` as they are:
//   .spec.conversion.webhook.clientConfig.service.namespace   object keys that are identifiers
//   .metadata.annotations["example.com/owner"]                 other keys, JSON-quoted
//   .spec.template.spec.containers[] | select(.name == "app") | .image
//                                   elements of lists of objects keyed by name/type/...
//   .spec.template.spec.containers[0].image                    JSON Patch array indexes
// A list that is not keyed (scalars, or objects without a merge key) is one leaf whose value is
// the whole list. Empty objects set nothing and produce no leaf; JSON Patch `remove` sets null.
//
// Bookkeeping never produces a leaf: top-level apiVersion/kind; metadata name, namespace, uid,
// resourceVersion, generation, creationTimestamp, deletionTimestamp,
// deletionGracePeriodSeconds, selfLink, generateName, managedFields; the annotation
// kubectl.kubernetes.io/last-applied-configuration; any key ending in "Timestamp" or "Time"
// (lastTransitionTime, renewTime, ...); strategic-merge directives ($patch, $setElementOrder/...);
// and `status` on a write to the main resource. A write to the status subresource keeps only
// `status`.
struct FlattenOptions {
  bool status_write = false;             // the write targets the status subresource
  std::size_t max_value_length = 120;    // longer values are cut, ending in "…"
  std::size_t max_path_length = 400;     // longer paths are cut, ending in "…"
  std::size_t max_leaves = 4096;         // a body with more leaves stops there
};

enum class BodyKind {
  kInvalid,    // not JSON, truncated, or neither an object nor a JSON Patch array
  kObject,     // a full object or a merge / strategic-merge patch
  kJsonPatch,  // an array of {"op","path","value"} operations
};

struct FlattenResult {
  BodyKind kind = BodyKind::kInvalid;
  std::size_t leaves = 0;
  bool leader_lock = false;  // sets control-plane.alpha.kubernetes.io/leader (old leader election)
  std::string_view object_kind;  // top-level "kind" of a full object ("" otherwise); valid
                                 // until the next flatten()
};

class LeafSink {
 public:
  virtual ~LeafSink() = default;
  virtual void on_leaf(std::string_view path, std::string_view value) = 0;
};

// Reusable: keeps its parser and buffers between bodies, so flattening allocates nothing once
// warm. Invalid or truncated JSON yields kInvalid and no leaves, never a crash.
class BodyFlattener {
 public:
  BodyFlattener();
  ~BodyFlattener();
  BodyFlattener(const BodyFlattener&) = delete;
  BodyFlattener& operator=(const BodyFlattener&) = delete;

  FlattenResult flatten(std::string_view body, const FlattenOptions& options, LeafSink& sink);

  // Convenience for tests and tools: all leaves in body order.
  std::vector<std::pair<std::string, std::string>> flatten_to_vector(
      std::string_view body, const FlattenOptions& options, FlattenResult* result = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// JSON string literal (with quotes) for `text`: control characters as \u00XX, invalid UTF-8
// bytes as U+FFFD, so the result is always valid JSON (and a valid YAML double-quoted scalar).
void append_json_quoted(std::string& out, std::string_view text);

// True when `key` can follow a '.' in a jq path without quoting ([A-Za-z_][A-Za-z0-9_]*).
bool is_jq_identifier(std::string_view key);

// RFC 6901 JSON Pointer for a path made of keys and indexes only ("/spec/replicas",
// "/metadata/annotations/example.com~1owner"); "" when the path has a select() segment or is
// not a path this module produced.
std::string jq_path_to_json_pointer(std::string_view path);

}  // namespace kubeblame::analyze
