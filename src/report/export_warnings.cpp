// Export-limit warnings. Each names what was seen, why the export path causes it and what to
// export instead; the limits themselves are documented where they are detected (decode/) and in
// export_warnings.h. Wording is fixed and numbers go through format_count, so the warnings are
// the same for any thread count and chunk size.
#include "kubeblame/report/export_warnings.h"

#include <cmath>
#include <iterator>
#include <limits>

#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {

constexpr model::TimeNs kSecond = 1'000'000'000;

model::TimeNs floor_second(model::TimeNs t) {
  if (t < std::numeric_limits<model::TimeNs>::min() + kSecond) return t;
  return t - ((t % kSecond) + kSecond) % kSecond;
}
model::TimeNs ceil_second(model::TimeNs t) {
  model::TimeNs down = floor_second(t);
  return down == t || down > std::numeric_limits<model::TimeNs>::max() - kSecond ? down
                                                                                 : down + kSecond;
}

std::string display_name(const std::vector<std::string>& files, std::size_t index) {
  if (index >= files.size()) return "input " + std::to_string(index + 1);
  return files[index] == "-" ? "<stdin>" : files[index];
}

// The KQL to re-run the export in two halves of the file's own time range.
std::string split_advice(const analyze::FileStats& file) {
  if (!file.has_time()) {
    return "export it again in parts split by time (`| where TimeGenerated between "
           "(datetime(<start>) .. datetime(<middle>))`, then the rest of the window)";
  }
  model::TimeNs first = floor_second(file.first);
  model::TimeNs last = ceil_second(file.last);
  auto half = static_cast<model::TimeNs>(analyze::TimeHistogram::distance(first, last) / 2);
  model::TimeNs middle = floor_second(first + half);
  return "export it again in parts split by time (this file spans " + format_rfc3339(first) +
         " .. " + format_rfc3339(last) + "), e.g. `| where TimeGenerated between (datetime(" +
         format_rfc3339(first) + ") .. datetime(" + format_rfc3339(middle) +
         "))` and then the rest of the window";
}

void add_row_caps(const analyze::InputStats& stats, const std::vector<std::string>& files,
                  std::vector<std::string>& out) {
  for (std::size_t i = 0; i < stats.files.size(); ++i) {
    const analyze::FileStats& file = stats.files[i];
    if (file.table_rows == 0) continue;
    std::string cap;
    if (file.records == kPortalRowCap) {
      cap = "the row cap of log query results in the Azure portal (older versions)";
    } else if (file.records == kQueryApiRowCap) {
      cap = "the row cap of the Log Analytics query API (az monitor log-analytics query, REST, "
            "the portal)";
    } else {
      continue;
    }
    out.push_back(display_name(files, i) + " has exactly " + format_count(file.records) +
                  " Log Analytics rows, " + cap + ": the export is probably cut; " +
                  split_advice(file) +
                  ", or aggregate in Log Analytics (`| summarize count() by UserAgent, Verb`)");
  }
}

// Admin-only sources hold every audit event except get and list (AKS's definition of the
// kube-audit-admin category and the AKSAuditAdmin table): reads are missing, not rare.
void add_admin_only(const analyze::InputStats& stats, std::vector<std::string>& out) {
  struct Source {
    const char* name;
    const char* instead;
  };
  static constexpr Source kSources[] = {
      {"the AKSAuditAdmin table", "export the AKSAudit table"},
      {"the ArcK8sAuditAdmin table", "export the ArcK8sAudit table"},
      {"the kube-audit-admin diagnostic category",
       "send the kube-audit category to the diagnostic setting's destination"},
  };
  static_assert(std::size(kSources) == decode::kAdminSourceCount);
  for (std::size_t i = 0; i < decode::kAdminSourceCount; ++i) {
    std::uint64_t n = stats.admin_events[i];
    if (n == 0) continue;
    out.push_back(plural(n, "audit event comes from ", "audit events come from ") +
                  kSources[i].name +
                  ", which AKS fills with every audit event except get and list: get and list "
                  "requests are not in this input, so read load is not shown; " +
                  kSources[i].instead + " for the reads");
  }
}

void add_dropped_bodies(const analyze::InputStats& stats, std::vector<std::string>& out) {
  if (stats.bodies_too_big > 0) {
    out.push_back(plural(stats.bodies_too_big, "request body was", "request bodies were") +
                  " dropped by AKS (skipped-too-big-size-object): fights may "
                  "miss contested fields");
  }
  if (stats.truncated_events > 0) {
    out.push_back(plural(stats.truncated_events, "audit event was", "audit events were") +
                  " truncated by the API server's audit backend "
                  "(audit.k8s.io/truncated): the request and response bodies are gone, so "
                  "fights may miss contested fields; raise --audit-log-truncate-max-event-size "
                  "(or --audit-webhook-truncate-max-event-size) on the kube-apiserver");
  }
}

void add_cut_payloads(const analyze::InputStats& stats, std::vector<std::string>& out) {
  std::uint64_t log_s = stats.cuts[static_cast<std::size_t>(decode::ExportCut::kLogS)];
  if (log_s > 0) {
    out.push_back(plural(log_s, "audit event in AzureDiagnostics log_s is",
                          "audit events in AzureDiagnostics log_s are") +
                  " cut at 32,766 bytes (the Log Analytics field limit) and skipped: send the "
                  "diagnostic setting to the resource-specific tables (AKSAudit, AKSAuditAdmin, "
                  "AKSControlPlane) or to a storage account, and export from there");
  }
  std::uint64_t properties = stats.cuts[static_cast<std::size_t>(decode::ExportCut::kPropertiesLog)];
  if (properties > 0) {
    out.push_back(plural(properties, "audit event in properties.log is",
                          "audit events in properties.log are") +
                  " cut at 16 KiB (16,384 bytes) by the diagnostic-settings export and skipped "
                  "(the rest of each event arrives as separate records, skipped as not_audit): "
                  "export these from the AKSAudit table in Log Analytics instead");
  }
}

// Events arrive steadily outside `gap` (see kMinSteadyEvents in export_warnings.h): every event
// and every non-empty bucket lies outside it.
bool steady_outside(const analyze::TimeHistogram& times, const analyze::TimeHistogram::Gap& gap) {
  std::int64_t filled = times.filled_buckets();
  std::int64_t rest = times.spanned_buckets() - gap.empty_buckets;
  return times.count() >= kMinSteadyEvents && filled >= kMinSteadyBuckets &&
         static_cast<double>(filled) >= kMinBusyShare * static_cast<double>(rest);
}

void add_largest_gap(const analyze::TimeHistogram& times, std::vector<std::string>& out) {
  auto gap = times.largest_gap();
  if (!gap) return;
  double span_s =
      static_cast<double>(analyze::TimeHistogram::distance(times.first(), times.last())) / 1e9;
  double gap_s = static_cast<double>(gap->length()) / 1e9;
  if (gap_s < kMinGapSeconds || gap_s < kMinGapShare * span_s) return;
  if (!steady_outside(times, *gap)) return;
  auto share = static_cast<std::uint64_t>(std::llround(100.0 * gap_s / span_s));
  out.push_back("no audit events for " + format_span(gap_s) + ", from " +
                format_rfc3339(gap->start) + " to " + format_rfc3339(gap->end) + " (" +
                format_count(share) + "% of the events' " + format_span(span_s) +
                " span, while they arrive steadily in the rest of it): the export probably "
                "misses that window; check the query's time range (or the archive's hourly "
                "PT1H.json blobs) and export it again");
}

// Cloud Audit Logs entries have one timestamp each: a GKE request's latency cannot be known.
void add_no_latency(const analyze::InputStats& stats, std::vector<std::string>& out) {
  std::uint64_t gke = stats.formats[static_cast<std::size_t>(decode::Format::kGkeGcloudJson)] +
                      stats.formats[static_cast<std::size_t>(decode::Format::kGkeLogEntryLines)];
  if (gke == 0) return;
  out.push_back("GKE audit logs carry no per-request latency: a Cloud Audit Logs entry has one "
                "timestamp, not the request's start and end, so p50, p95, p99, max and cost are "
                "empty for GKE requests (null in JSON); requests, errors and watches are exact");
}

}  // namespace

std::string partial_result_warning(const std::string& file, const std::string& api_error) {
  return file + ": the Log Analytics query API returned only part of the result (" + api_error +
         "): rows are missing; run the query again over shorter time ranges, or aggregate in Log "
         "Analytics (`| summarize count() by UserAgent, Verb`)";
}

std::vector<std::string> export_limit_warnings(const analyze::InputStats& stats,
                                               const std::vector<std::string>& files) {
  std::vector<std::string> out;
  add_admin_only(stats, out);
  add_row_caps(stats, files, out);
  add_dropped_bodies(stats, out);
  add_cut_payloads(stats, out);
  add_largest_gap(stats.event_times, out);
  add_no_latency(stats, out);
  return out;
}

}  // namespace kubeblame::report
