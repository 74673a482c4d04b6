// Test helper for the fight detector: hand-built writes fed to a FightAnalyzer as audit events
// (one line each), and the report built from them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/report/build.h"

namespace kubeblame::analyze {
namespace {

constexpr model::TimeNs kS = 1'000'000'000;
constexpr model::TimeNs kT0 = 1'740'473'537LL * kS;  // 2025-02-25T08:52:17Z

struct Write {
  std::string verb = "patch";
  std::string resource = "configmaps";
  std::string group;
  std::string subresource;
  std::string ns = "shop";
  std::string name = "cm";
  std::string user = "system:serviceaccount:shop:a";
  std::string agent = "a-controller/v1";
  std::string manager;  // fieldManager query parameter
  int code = 200;
  std::string reason;
  model::TimeNs time = kT0;
  std::string body;
};

inline Write by(std::string_view writer, model::TimeNs time) {
  Write w;
  w.user = "system:serviceaccount:shop:" + std::string(writer);
  w.agent = std::string(writer) + "/v1.2";
  w.time = time;
  return w;
}

// Feeds writes to an analyzer, one line each, numbered from `first_line`.
class Feeder {
 public:
  explicit Feeder(Analyzer& analyzer) : analyzer_(analyzer) {}
  void feed(const Write& w, std::uint64_t line, std::uint32_t input = 0) {
    uri_ = "/api/v1/namespaces/" + w.ns + "/" + w.resource + "/" + w.name;
    if (!w.manager.empty()) uri_ += "?fieldManager=" + w.manager;
    model::AuditEvent e;
    e.stage = model::Stage::kResponseComplete;
    e.verb = w.verb;
    e.request_uri = uri_;
    e.username = w.user;
    e.user_agent = w.agent;
    e.has_object_ref = true;
    e.object_ref.resource = w.resource;
    e.object_ref.api_group = w.group;
    e.object_ref.subresource = w.subresource;
    e.object_ref.namespace_name = w.ns;
    e.object_ref.name = w.name;
    e.code = w.code;
    e.reason = w.reason;
    e.received = w.time;
    e.stage_time = w.time + 10'000'000;
    e.request_object = w.body;
    values_.reset(e);
    analyzer_.on_event(e, model::is_counted_request(e), values_, EventPosition{input, line});
  }

 private:
  Analyzer& analyzer_;
  DimensionValues values_;
  std::string uri_;
};

inline report::FightsReport run(const std::vector<Write>& writes, const FightOptions& options = {}) {
  FightAnalyzer analyzer(options);
  Feeder feeder(analyzer);
  for (std::size_t i = 0; i < writes.size(); ++i) feeder.feed(writes[i], i + 1);
  return report::build_fights(analyzer, report::InputSummary{}, 0);
}

}  // namespace
}  // namespace kubeblame::analyze
