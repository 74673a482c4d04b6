// Grouping dimensions (docs/counting.md, "Dimensions") and how each is read off an event.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

enum class Dimension : std::uint8_t {
  kAgent,
  kUserAgent,
  kUser,
  kImpersonatedUser,
  kVerb,
  kResource,
  kNamespace,
  kName,
  kObject,
  kCode,
  kSourceIp,
  kError,    // the error signature (analyze/signature.h); "(ok)" below code 400
  kWebhook,  // configuration/name of an admission webhook; a request counts under each of its own
  kPriorityLevel,  // APF, from the request's kube-apiserver HTTP log line (analyze/apf_join.h)
  kFlowSchema,
  kCount,
};
inline constexpr std::size_t kDimensionCount = static_cast<std::size_t>(Dimension::kCount);

std::string_view dimension_name(Dimension dimension);
std::optional<Dimension> parse_dimension(std::string_view name);
// "agent, user_agent, user, ..." for error messages and help.
std::string dimension_list();

// Placeholders used when an event has no value for a dimension.
inline constexpr std::string_view kNone = "(none)";
inline constexpr std::string_view kClusterScope = "(cluster)";
inline constexpr std::string_view kAllNamespaces = "(all)";
inline constexpr std::string_view kOk = "(ok)";
inline constexpr std::string_view kUnknown = "(unknown)";

class ApfJoin;

// Computes dimension values of one event on demand, once each. Views point into the event or
// into this object's buffers and stay valid until the next reset().
class DimensionValues {
 public:
  void reset(const model::AuditEvent& event);
  std::string_view get(Dimension dimension);
  // The webhook (index into event.webhooks) the `webhook` dimension names until the next call;
  // 0 after reset().
  void select_webhook(std::size_t index);
  // Where priority_level and flow_schema are looked up (null: they are "(unknown)").
  void set_apf_join(const ApfJoin* join) { apf_ = join; }

 private:
  std::string_view compute(Dimension dimension);
  std::string_view resource();
  std::string_view namespace_value();
  std::string_view name_value();
  std::string_view webhook_value();
  std::string_view apf_value(Dimension dimension);

  const model::AuditEvent* event_ = nullptr;
  std::array<std::string_view, kDimensionCount> values_{};
  std::array<bool, kDimensionCount> known_{};
  std::string resource_;
  std::string object_;
  std::string error_;
  std::array<char, 16> code_{};
  std::string webhook_;
  std::size_t webhook_index_ = 0;
  const ApfJoin* apf_ = nullptr;
};

// True for the built-in resources that are not namespaced (a list of them is not "(all)").
bool is_cluster_scoped(std::string_view resource, std::string_view api_group);

}  // namespace kubeblame::analyze
