// export_limit_warnings: exact wording for each export limit, and no warning just below a limit.
#include "kubeblame/report/export_warnings.h"

#include <catch2/catch.hpp>

namespace kubeblame::report {
namespace {

constexpr model::TimeNs kSecond = 1'000'000'000;
constexpr model::TimeNs kStart = 1740470400 * kSecond;  // 2025-02-25T08:00:00Z

analyze::FileStats table_file(std::uint64_t rows) {
  analyze::FileStats file;
  file.records = rows;
  file.table_rows = rows;
  file.first = kStart + 250'000'000;            // 08:00:00.25
  file.last = kStart + 7199 * kSecond + 1;       // 09:59:59.000000001
  return file;
}

TEST_CASE("a Log Analytics file at a row cap gets a warning with split advice", "[report][export]") {
  analyze::InputStats stats;
  stats.files = {table_file(30000), table_file(29999), table_file(500000)};
  stats.files[1].first = kStart;
  std::vector<std::string> warnings = export_limit_warnings(stats, {"a.json", "b.json", "-"});
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] ==
        "a.json has exactly 30,000 Log Analytics rows, the row cap of log query results in the "
        "Azure portal (older versions): the export is probably cut; export it again in parts "
        "split by time (this file spans 2025-02-25T08:00:00Z .. 2025-02-25T10:00:00Z), e.g. "
        "`| where TimeGenerated between (datetime(2025-02-25T08:00:00Z) .. "
        "datetime(2025-02-25T09:00:00Z))` and then the rest of the window, or aggregate in Log "
        "Analytics (`| summarize count() by UserAgent, Verb`)");
  CHECK(warnings[1] ==
        "<stdin> has exactly 500,000 Log Analytics rows, the row cap of the Log Analytics query "
        "API (az monitor log-analytics query, REST, the portal): the export is probably cut; "
        "export it again in parts split by time (this file spans 2025-02-25T08:00:00Z .. "
        "2025-02-25T10:00:00Z), e.g. `| where TimeGenerated between "
        "(datetime(2025-02-25T08:00:00Z) .. datetime(2025-02-25T09:00:00Z))` and then the rest "
        "of the window, or aggregate in Log Analytics (`| summarize count() by UserAgent, Verb`)");
}

TEST_CASE("row caps apply only to Log Analytics rows", "[report][export]") {
  analyze::InputStats stats;
  stats.files = {table_file(30000)};
  stats.files[0].table_rows = 0;  // 30,000 raw audit lines are just a file
  CHECK(export_limit_warnings(stats, {"audit.log"}).empty());
  stats.files[0].table_rows = 1;
  stats.files[0].first = std::numeric_limits<model::TimeNs>::max();
  stats.files[0].last = std::numeric_limits<model::TimeNs>::min();
  std::vector<std::string> warnings = export_limit_warnings(stats, {"rows.csv"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "rows.csv has exactly 30,000 Log Analytics rows, the row cap of log query results in the "
        "Azure portal (older versions): the export is probably cut; export it again in parts "
        "split by time (`| where TimeGenerated between (datetime(<start>) .. "
        "datetime(<middle>))`, then the rest of the window), or aggregate in Log Analytics "
        "(`| summarize count() by UserAgent, Verb`)");
}

TEST_CASE("dropped and cut bodies are counted in one warning each", "[report][export]") {
  analyze::InputStats stats;
  stats.bodies_too_big = 1234;
  stats.truncated_events = 2;
  stats.cuts = {3, 4};
  std::vector<std::string> warnings = export_limit_warnings(stats, {});
  REQUIRE(warnings.size() == 4);
  CHECK(warnings[0] ==
        "1,234 request bodies were dropped by AKS (skipped-too-big-size-object): fights may miss "
        "contested fields");
  CHECK(warnings[1] ==
        "2 audit events were truncated by the API server's audit backend (audit.k8s.io/truncated): "
        "the request and response bodies are gone, so fights may miss contested fields; raise "
        "--audit-log-truncate-max-event-size (or --audit-webhook-truncate-max-event-size) on the "
        "kube-apiserver");
  CHECK(warnings[2] ==
        "3 audit events in AzureDiagnostics log_s are cut at 32,766 bytes (the Log Analytics field "
        "limit) and skipped: send the diagnostic setting to the resource-specific tables "
        "(AKSAudit, AKSAuditAdmin, AKSControlPlane) or to a storage account, and export from there");
  CHECK(warnings[3] ==
        "4 audit events in properties.log are cut at 16 KiB (16,384 bytes) by the "
        "diagnostic-settings export and skipped (the rest of each event arrives as separate "
        "records, skipped as not_audit): export these from the AKSAudit table in Log Analytics "
        "instead");
}

TEST_CASE("a count of one reads in the singular", "[report][export]") {
  analyze::InputStats stats;
  stats.bodies_too_big = 1;
  stats.truncated_events = 1;
  stats.cuts = {1, 1};
  std::vector<std::string> warnings = export_limit_warnings(stats, {});
  REQUIRE(warnings.size() == 4);
  CHECK(warnings[0].starts_with("1 request body was dropped by AKS (skipped-too-big-size-object)"));
  CHECK(warnings[1].starts_with("1 audit event was truncated by the API server's audit backend"));
  CHECK(warnings[2].starts_with("1 audit event in AzureDiagnostics log_s is cut at 32,766 bytes"));
  CHECK(warnings[3].starts_with("1 audit event in properties.log is cut at 16 KiB"));
}

TEST_CASE("admin-only sources say that get and list requests are missing", "[report][export][admin]") {
  analyze::InputStats stats;
  stats.files = {table_file(30000)};
  stats.admin_events[static_cast<std::size_t>(decode::AdminSource::kAksAuditAdmin)] = 1234;
  stats.admin_events[static_cast<std::size_t>(decode::AdminSource::kArcK8sAuditAdmin)] = 1;
  stats.admin_events[static_cast<std::size_t>(decode::AdminSource::kKubeAuditAdmin)] = 2;
  std::vector<std::string> warnings = export_limit_warnings(stats, {"a.json"});
  REQUIRE(warnings.size() == 4);  // first, before the row cap
  CHECK(warnings[0] ==
        "1,234 audit events come from the AKSAuditAdmin table, which AKS fills with every audit "
        "event except get and list: get and list requests are not in this input, so read load is "
        "not shown; export the AKSAudit table for the reads");
  CHECK(warnings[1] ==
        "1 audit event comes from the ArcK8sAuditAdmin table, which AKS fills with every audit "
        "event except get and list: get and list requests are not in this input, so read load is "
        "not shown; export the ArcK8sAudit table for the reads");
  CHECK(warnings[2] ==
        "2 audit events come from the kube-audit-admin diagnostic category, which AKS fills with "
        "every audit event except get and list: get and list requests are not in this input, so "
        "read load is not shown; send the kube-audit category to the diagnostic setting's "
        "destination for the reads");
  CHECK(warnings[3].starts_with("a.json has exactly 30,000 Log Analytics rows"));
  CHECK(export_limit_warnings(analyze::InputStats{}, {}).empty());
}

analyze::InputStats busy_with_hole(model::TimeNs hole_s, model::TimeNs step_s) {
  analyze::InputStats stats;
  for (model::TimeNs t = 0; t <= 3600; t += step_s) {
    if (t > 1200 && t < 1200 + hole_s) continue;
    stats.event_times.add(kStart + t * kSecond);
  }
  return stats;
}

TEST_CASE("a hole in busy traffic is reported once, with its times", "[report][export]") {
  std::vector<std::string> warnings = export_limit_warnings(busy_with_hole(900, 5), {});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "no audit events for 15m 00s, from 2025-02-25T08:20:00Z to 2025-02-25T08:35:00Z (25% of "
        "the events' 1h 00m span, while they arrive steadily in the rest of it): the export "
        "probably misses that window; check the query's time range (or the archive's hourly "
        "PT1H.json blobs) and export it again");
}

TEST_CASE("holes that are short, small or in sparse traffic do not warn", "[report][export]") {
  CHECK(export_limit_warnings(busy_with_hole(595, 5), {}).empty());  // under 10 minutes
  // 10 minutes, but under 10% of a 4-hour span
  analyze::InputStats long_span = busy_with_hole(600, 5);
  long_span.event_times.add(kStart + 4 * 3600 * kSecond);
  for (model::TimeNs t = 3600; t < 4 * 3600; t += 5) long_span.event_times.add(kStart + t * kSecond);
  CHECK(export_limit_warnings(long_span, {}).empty());
  // One event every 3 minutes leaves most buckets empty: not busy enough to call a hole.
  CHECK(export_limit_warnings(busy_with_hole(900, 180), {}).empty());
}

// Events at `offsets` (seconds after kStart), `per_offset` at each.
analyze::InputStats events_at(const std::vector<model::TimeNs>& offsets, int per_offset = 1) {
  analyze::InputStats stats;
  for (model::TimeNs t : offsets) {
    for (int i = 0; i < per_offset; ++i) stats.event_times.add(kStart + t * kSecond);
  }
  return stats;
}

TEST_CASE("a handful of events far apart is no hole", "[report][export]") {
  // Two events two hours apart: the "rest" is two instants, nothing arrives steadily.
  CHECK(export_limit_warnings(events_at({0, 7200}), {}).empty());
  // Two small files two hours apart, five events 10 s apart in each (10 events, 10 buckets).
  CHECK(export_limit_warnings(events_at({0, 10, 20, 30, 40, 7200, 7210, 7220, 7230, 7240}), {})
            .empty());
  // Two bursts of 100 events each: enough events, but all in 2 buckets.
  CHECK(export_limit_warnings(events_at({0, 7200}, 100), {}).empty());
}

TEST_CASE("steady means enough events and enough non-empty buckets outside the hole",
          "[report][export]") {
  // Every 2 s for 100 s at 08:00 and at 10:00: 50 + 50 events over ~24 buckets of 8.6 s, all
  // outside the 1h 58m hole. 100 events is steady; 99 is not.
  std::vector<model::TimeNs> offsets;
  for (model::TimeNs t = 0; t < 100; t += 2) offsets.push_back(t);
  for (model::TimeNs t = 7200; t < 7300; t += 2) offsets.push_back(t);
  analyze::InputStats steady = events_at(offsets);
  REQUIRE(steady.event_times.count() == kMinSteadyEvents);
  REQUIRE(steady.event_times.filled_buckets() >= kMinSteadyBuckets);
  std::vector<std::string> warnings = export_limit_warnings(steady, {});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("no audit events for 1h 58m, from 2025-02-25T08:01:38Z to "
                                "2025-02-25T10:00:00Z (97% of the events' 2h 01m span"));
  offsets.pop_back();
  CHECK(export_limit_warnings(events_at(offsets), {}).empty());
}

}  // namespace
}  // namespace kubeblame::report
