// The KQL generator. Every query is built from the same three lets:
//   audit     the table's rows in AKSAudit's columns (AzureDiagnostics: log_s parsed), cut to the
//             window on TimeGenerated first, since Log Analytics partitions by it;
//   requests  the counted requests (the stage rule of docs/counting.md), the exact --since/--until
//             window on the event time, the latency, the dimension columns and --where;
// and then an aggregation (top, timeline) or a selection (errors, fights). The latency histogram
// replicates analyze::LatencySketch::bucket_of in integer arithmetic, so a group's percentiles
// computed from the result are the local ones (docs/kql.md).
#include "kubeblame/kql/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "kql_text.h"
#include "kubeblame/analyze/timeline/timeline_ladder.h"

namespace kubeblame::kql {

namespace {

using analyze::Dimension;

// Ingestion lag: a request's TimeGenerated follows its event time by minutes (up to ~15).
constexpr std::string_view kIngestionSlack = "1h";
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::size_t kMaxQueries = 1000;

// One time window of a query: KQL expressions for its ends (absent = open).
struct Window {
  std::string since;
  std::string until;
  std::string label;  // for the separator line
};

// One query of the output: what it computes and its text after the header.
struct Query {
  std::string title;
  std::string body;
};

bool is_admin(Table table) { return table == Table::kAksAuditAdmin; }

std::string time_gate(const Window& window, std::string_view column, bool slack) {
  std::string out;
  if (!window.since.empty()) out += fmt::format("| where {} >= {}\n", column, window.since);
  if (!window.until.empty()) {
    out += slack ? fmt::format("| where {} < {} + {}\n", column, window.until, kIngestionSlack)
                 : fmt::format("| where {} < {}\n", column, window.until);
  }
  return out;
}

constexpr std::string_view kDiagnosticsColumns =
    "AuditId = tostring(e.auditID), Stage = tostring(e.stage), Verb = tostring(e.verb), "
    "RequestUri = tostring(e.requestURI), UserAgent = tostring(e.userAgent), User = e.user, "
    "ImpersonatedUser = e.impersonatedUser, ObjectRef = e.objectRef, "
    "ResponseStatus = e.responseStatus, SourceIps = e.sourceIPs, "
    "RequestReceivedTime = coalesce(todatetime(e.requestReceivedTimestamp), todatetime(e.timestamp), "
    "todatetime(e.metadata.creationTimestamp)), StageReceivedTime = todatetime(e.stageTimestamp)";

// `let audit = ...;`: the table's audit rows, in AKSAudit's column names.
std::string audit_source(Table table, const Window& window) {
  if (table != Table::kAzureDiagnostics) {
    return fmt::format("let audit = {}\n{}| extend Received = coalesce(RequestReceivedTime, TimeGenerated);\n",
                       table_name(table), time_gate(window, "TimeGenerated", true));
  }
  // kube-audit-admin is a subset of kube-audit: read the full category when the window has it.
  std::string gate = time_gate(window, "TimeGenerated", true);
  return fmt::format(
      "let aks_diagnostics = AzureDiagnostics\n{}"
      "| where ResourceProvider == \"MICROSOFT.CONTAINERSERVICE\";\n"
      "let audit_category = iff(toscalar(aks_diagnostics | where Category == \"kube-audit\" | take 1 | count) > 0, "
      "\"kube-audit\", \"kube-audit-admin\");\n"
      "let audit = aks_diagnostics\n"
      "| where Category == audit_category\n"
      "| extend e = parse_json(log_s)\n"
      "| where isnotempty(tostring(e.verb)) or isnotempty(tostring(e.stage))\n"
      "| extend {}\n"
      "| extend Received = coalesce(RequestReceivedTime, TimeGenerated);\n",
      gate, kDiagnosticsColumns);
}

// The dimension columns `dims` need, in dependency order (object reads resource, namespace, name).
std::vector<Dimension> with_dependencies(std::vector<Dimension> dims) {
  if (std::find(dims.begin(), dims.end(), Dimension::kObject) != dims.end()) {
    for (Dimension d : {Dimension::kResource, Dimension::kNamespace, Dimension::kName}) {
      if (std::find(dims.begin(), dims.end(), d) == dims.end()) dims.push_back(d);
    }
  }
  std::sort(dims.begin(), dims.end());
  dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
  return dims;
}

// `let requests = ...;`: counted requests in the window, with latency, dimensions and --where.
std::string requests_table(const QueryRequest& request, const Window& window,
                           const std::vector<Dimension>& keys) {
  std::vector<Dimension> dims = keys;
  for (const analyze::WhereClause& clause : request.filters.where) dims.push_back(clause.dimension);
  std::string out =
      "let requests = audit\n"
      "| extend Code = coalesce(toint(ResponseStatus.code), 0)\n"
      "| where (Stage in (\"ResponseComplete\", \"Panic\", \"\") and not(Stage == \"ResponseComplete\" and Code == 101))"
      " or (Stage == \"ResponseStarted\" and Code in (401, 101))\n";
  out += time_gate(window, "Received", false);
  out +=
      "| extend LongRunning = Verb == \"watch\" or Code == 101\n"
      "| extend LatencyNs = iff(not(LongRunning) and isnotnull(StageReceivedTime) and StageReceivedTime >= Received, "
      "tolong((StageReceivedTime - Received) / 1tick) * 100, long(null))\n"
      "| extend Res = tostring(ObjectRef.resource), ApiGroup = tostring(ObjectRef.apiGroup), "
      "Sub = tostring(ObjectRef.subresource), Ns = tostring(ObjectRef.namespace), ObjName = tostring(ObjectRef.name)\n";
  for (Dimension d : with_dependencies(dims)) {
    out += fmt::format("| extend {} = {}\n", dimension_column(d), dimension_expression(d));
  }
  for (const analyze::WhereClause& clause : request.filters.where) {
    out += fmt::format("| where {}\n", where_predicate(clause));
  }
  out.back() = ';';
  return out + "\n";
}

std::string prelude(const QueryRequest& request, const Window& window, const std::vector<Dimension>& keys) {
  return "let kb_or_none = (s: string) { iff(isempty(s), \"(none)\", s) };\n" +
         audit_source(request.table, window) + requests_table(request, window, keys);
}

// The group key list of a summarize and the projection that names the columns as --by does.
std::string key_list(const std::vector<Dimension>& by, bool timeline) {
  std::string out = timeline ? "Time" : "";
  for (Dimension d : by) out += (out.empty() ? "" : ", ") + dimension_column(d);
  return out;
}

std::string key_projection(const std::vector<Dimension>& by, bool timeline) {
  std::string out = timeline ? "['time'] = Time" : "";
  for (Dimension d : by) {
    out += fmt::format("{}['{}'] = {}", out.empty() ? "" : ", ", analyze::dimension_name(d), dimension_column(d));
  }
  return out;
}

// Groups with requests, errors, watches, cost, first/last and the latency sketch's parts: the
// histogram in LatencySketch buckets, the exact values (µs) when there are at most 64, min and max;
// a timeline's rows also carry the bucket width (interval_s), so that they can be re-binned.
std::string aggregation(const std::vector<Dimension>& by, bool timeline, std::int64_t interval_s) {
  std::string keys = key_list(by, timeline);
  std::string out = "requests\n";
  if (timeline) {
    out += fmt::format("| extend Time = bin_at(Received, {}, datetime(1970-01-01))\n", timespan_literal(interval_s));
  }
  out += fmt::format(
      "| extend LatencyUs = LatencyNs / 1000\n"
      "| extend Msb = iff(LatencyUs >= 128, toint(log2(todouble(LatencyUs))), 0)\n"
      "| extend Msb = Msb - iff(binary_shift_right(LatencyUs, Msb) == 0, 1, 0) + iff(binary_shift_right(LatencyUs, Msb + 1) > 0, 1, 0)\n"
      "| extend Bucket = iff(isnull(LatencyNs), -1, iff(LatencyUs < 128, LatencyUs, (Msb - 5) * 64 + binary_shift_right(LatencyUs, Msb - 6) - 64))\n"
      "| summarize N = count(), Errors = countif(Code >= 400), Watches = countif(LongRunning), "
      "CostNs = sum(LatencyNs), MaxNs = max(LatencyNs), MinUs = min(LatencyUs), First = min(Received), "
      "Last = max(Received), Values = make_list_if(LatencyUs, isnotnull(LatencyNs), 65) by {0}, Bucket\n"
      "| summarize requests = sum(N), errors = sum(Errors), watches = sum(Watches), cost_ns = sum(CostNs), "
      "latency_n = sumif(N, Bucket >= 0), min_us = min(MinUs), max_ns = max(MaxNs), ['first'] = min(First), "
      "['last'] = max(Last), histogram = make_bag_if(bag_pack(tostring(Bucket), N), Bucket >= 0), "
      "exact_us = make_list_if(Values, Bucket >= 0, 65) by {0}\n"
      "| extend exact_us = iff(latency_n <= 64, exact_us, dynamic(null))\n"
      "| project {1} = {2}, {3}, requests, errors, watches, cost_ns, latency_n, min_us, max_ns, ['first'], ['last'], "
      "histogram, exact_us{4}\n",
      keys, kMarkerColumn, string_literal(timeline ? kTimelineMarker : kTopMarker), key_projection(by, timeline),
      timeline ? fmt::format(", interval_s = {}", interval_s) : "");
  return out;
}

constexpr std::string_view kAuditColumns =
    "TimeGenerated, AuditId, Stage, Verb, RequestUri, User, UserAgent, ObjectRef, ResponseStatus, "
    "SourceIps, RequestReceivedTime, StageReceivedTime";
constexpr std::string_view kDiagnosticsRowColumns = "TimeGenerated, Category, log_s, pod_s";

// The klog letters at --level or above ("EF" for error).
std::string level_letters(model::LogLevel level) {
  switch (level) {
    case model::LogLevel::kWarning: return "WEF";
    case model::LogLevel::kFatal: return "F";
    case model::LogLevel::kInfo:
    case model::LogLevel::kUnknown: return "IWEF";
    case model::LogLevel::kError: break;
  }
  return "EF";
}

std::string level_names(model::LogLevel level) {
  std::string letters = level_letters(level);
  std::string out;
  auto add = [&](char letter, std::string_view names) {
    if (letters.find(letter) != std::string::npos) out += std::string(out.empty() ? "" : ", ") + std::string(names);
  };
  add('I', R"("info", "information")");
  add('W', R"("warning", "warn")");
  add('E', R"("error", "err")");
  add('F', R"("fatal", "critical")");
  return out;
}

// Control-plane log lines at --level or above: klog letter, JSON level, or the Level column.
std::string control_plane_lines(const QueryRequest& request, const Window& window) {
  std::string letters = level_letters(request.min_level);
  std::string json_levels = level_names(request.min_level);
  std::string klog = string_literal(fmt::format(R"(^[{}]\d{{4}} )", letters));
  if (request.table == Table::kAzureDiagnostics) {
    return fmt::format(
        "AzureDiagnostics\n{}| where ResourceProvider == \"MICROSOFT.CONTAINERSERVICE\" "
        "and Category !in (\"kube-audit\", \"kube-audit-admin\")\n"
        "| where log_s matches regex {} or tostring(parse_json(log_s).level) in~ ({})\n| project {}",
        time_gate(window, "TimeGenerated", true), klog, json_levels, kDiagnosticsRowColumns);
  }
  return fmt::format(
      "AKSControlPlane\n{}| where Message matches regex {} or Level in~ ({}) "
      "or tostring(parse_json(Message).level) in~ ({})\n"
      "| project TimeGenerated, Category, Level, Message, PodName",
      time_gate(window, "TimeGenerated", true), klog, json_levels, json_levels);
}

std::string selected_columns(Table table, bool bodies) {
  if (table == Table::kAzureDiagnostics) return std::string(kDiagnosticsRowColumns);
  return std::string(kAuditColumns) + (bodies ? ", RequestObject" : "");
}

// errors: audit rows with code >= 400 and, without --where (log lines have no dimensions),
// control-plane lines at --level or above, in one union.
std::string errors_selection(const QueryRequest& request, const Window& window) {
  std::string out = prelude(request, window, {});
  std::string audit_rows = fmt::format("requests\n| where Code >= 400\n| project {}", selected_columns(request.table, false));
  if (!request.filters.where.empty()) return out + audit_rows + "\n";
  return out + fmt::format("union\n({}),\n({})\n", audit_rows, control_plane_lines(request, window));
}

// fights: writes to objects that have several writers, many writes or many conflicts.
std::string fights_selection(const QueryRequest& request, const Window& window) {
  const analyze::FightOptions& f = request.fights;
  return prelude(request, window, {}) +
         fmt::format(
             "let writes = requests\n"
             "| where Verb in (\"create\", \"update\", \"patch\", \"delete\")\n"
             "| extend FightObject = strcat(Res, \".\", ApiGroup, \"/\", iff(Sub == \"scale\", \"\", Sub), \"/\", Ns, \"/\", ObjName)\n"
             "| extend Writer = iff(RequestUri matches regex @\"[?&]fieldManager=\", "
             "extract(@\"[?&]fieldManager=([^&]*)\", 1, RequestUri), strcat(tostring(User.username), \"|\", UserAgent));\n"
             "let contested = writes\n"
             "| summarize Writers = dcount(Writer), Writes = count(), Conflicts = countif(Code == 409) by FightObject\n"
             "| where Writers >= {} or Writes >= {} or Conflicts >= {}\n"
             "| project FightObject;\n"
             "writes\n"
             "| join kind=leftsemi (contested) on FightObject\n"
             "| project {}\n",
             f.min_writers, f.hot_min_writes, f.min_conflicts, selected_columns(request.table, true));
}

// The dimensions KQL cannot compute here, refused in one sentence.
void check_dimensions(const QueryRequest& request) {
  std::vector<Dimension> used = request.by;
  for (const analyze::WhereClause& clause : request.filters.where) used.push_back(clause.dimension);
  for (Dimension d : used) {
    if (d == Dimension::kError) {
      throw std::invalid_argument(
          "kql cannot compute the dimension 'error': its signature masks names, numbers and quoted text "
          "with rules KQL has no equivalent for (group by code, or run kubeblame errors on a kql errors export)");
    }
    if (d == Dimension::kWebhook) {
      throw std::invalid_argument(
          "kql cannot compute the dimension 'webhook' yet: it needs each request's admission-webhook "
          "annotations expanded into rows (run kubeblame top --by webhook on an export)");
    }
    if (d == Dimension::kPriorityLevel || d == Dimension::kFlowSchema) {
      throw std::invalid_argument(fmt::format(
          "kql cannot compute the dimension '{}': it comes from kube-apiserver HTTP log lines joined "
          "to audit events by audit ID, which kql does not do yet (export both and run kubeblame top)",
          analyze::dimension_name(d)));
    }
    if (d == Dimension::kImpersonatedUser && request.table != Table::kAzureDiagnostics) {
      throw std::invalid_argument(fmt::format(
          "kql cannot compute the dimension 'impersonated_user' from {}: the table has no impersonated-user "
          "column (use --table AzureDiagnostics)",
          table_name(request.table)));
    }
  }
}

// timeline without --interval: the local auto interval for the window, 1h without one.
std::int64_t timeline_interval(const QueryRequest& request) {
  if (request.interval_s > 0) return request.interval_s;
  const auto& since = request.filters.since;
  const auto& until = request.filters.until;
  if (!since) return 3600;
  model::TimeNs now = request.now;
  model::TimeNs first = since->resolve(now);
  model::TimeNs last = until ? until->resolve(now) : now;
  if (last <= first) return 3600;
  return analyze::ladder_seconds(analyze::ladder_step_for(first, last - 1, analyze::kTimelineTargetBuckets));
}

std::vector<Query> queries_for(const QueryRequest& request, const std::string& command, const Window& window) {
  if (command == "top") return {{"top", prelude(request, window, request.by) + aggregation(request.by, false, 0)}};
  if (command == "timeline") {
    return {{"timeline", prelude(request, window, request.by) + aggregation(request.by, true, timeline_interval(request))}};
  }
  if (command == "errors") return {{"errors", errors_selection(request, window)}};
  if (command == "fights") return {{"fights", fights_selection(request, window)}};
  std::vector<Query> out;
  for (const std::vector<Dimension>& by : std::vector<std::vector<Dimension>>{
           {Dimension::kAgent}, {Dimension::kUser, Dimension::kVerb, Dimension::kResource},
           {Dimension::kAgent, Dimension::kVerb, Dimension::kResource}}) {
    QueryRequest top = request;
    top.by = by;
    std::string title = "top --by ";
    for (Dimension d : by) title += std::string(analyze::dimension_name(d)) + (d == by.back() ? "" : ",");
    out.push_back({title, prelude(top, window, by) + aggregation(by, false, 0)});
  }
  QueryRequest timeline = request;
  timeline.by = {Dimension::kAgent};
  out.push_back({"timeline --by agent", prelude(timeline, window, timeline.by) +
                                            aggregation(timeline.by, true, timeline_interval(timeline))});
  out.push_back({"errors", errors_selection(request, window)});
  out.push_back({"fights", fights_selection(request, window)});
  return out;
}

// The windows of --split: fixed datetimes from --since to --until (or now).
std::vector<Window> windows(const QueryRequest& request) {
  const auto& since = request.filters.since;
  const auto& until = request.filters.until;
  if (request.split_s <= 0) {
    return {{since ? time_expression(*since) : "", until ? time_expression(*until) : "", ""}};
  }
  if (!since) throw std::invalid_argument("--split needs --since: the windows start there");
  model::TimeNs first = since->resolve(request.now);
  model::TimeNs last = until ? until->resolve(request.now) : request.now;
  if (last <= first) throw std::invalid_argument("--split: --until must be after --since");
  std::int64_t step = request.split_s * kNsPerSecond;
  if ((last - first - 1) / step + 1 > static_cast<std::int64_t>(kMaxQueries)) {
    throw std::invalid_argument(fmt::format("--split makes more than {} windows; use a longer one", kMaxQueries));
  }
  std::vector<Window> out;
  for (model::TimeNs start = first; start < last; start += step) {
    model::TimeNs end = std::min(last, start + step);
    std::string from = datetime_literal(start);
    std::string to = datetime_literal(end);
    out.push_back({from, to, fmt::format("{} to {}", from.substr(9, from.size() - 10), to.substr(9, to.size() - 10))});
  }
  return out;
}

}  // namespace

std::optional<Table> parse_table(std::string_view name) {
  for (Table table : {Table::kAksAudit, Table::kAksAuditAdmin, Table::kAzureDiagnostics}) {
    if (table_name(table) == name) return table;
  }
  return std::nullopt;
}

std::string_view table_name(Table table) {
  switch (table) {
    case Table::kAksAudit: return "AKSAudit";
    case Table::kAksAuditAdmin: return "AKSAuditAdmin";
    case Table::kAzureDiagnostics: return "AzureDiagnostics";
  }
  return "AKSAudit";
}

std::vector<std::string> generate(const QueryRequest& request) {
  check_dimensions(request);
  std::vector<Query> all;
  for (const Window& window : windows(request)) {
    for (Query& query : queries_for(request, request.command, window)) {
      if (!window.label.empty()) query.title += ", " + window.label;
      all.push_back(std::move(query));
    }
  }
  if (all.size() > kMaxQueries) {
    throw std::invalid_argument(fmt::format("--split makes more than {} queries; use a longer one", kMaxQueries));
  }
  std::string header = fmt::format("// kubeblame {}: {}\n", request.version, comment_text(request.command_line));
  if (is_admin(request.table)) header += "// AKSAuditAdmin holds no get/list/watch requests: reads are not counted\n";
  if (all.size() == 1) return {header + all.front().body};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    out.push_back(fmt::format("// ---- query {} of {}: {} ----\n", i + 1, all.size(), comment_text(all[i].title)) +
                  header + all[i].body);
  }
  return out;
}

}  // namespace kubeblame::kql
