// KQL literals and the dimension rules of docs/counting.md written as KQL expressions. Each
// expression reads the normalized columns every query's `requests` table has: Verb, UserAgent,
// User, ImpersonatedUser (AzureDiagnostics only), RequestUri, SourceIps, Code, and Res, ApiGroup,
// Sub, Ns, ObjName from ObjectRef.
#include "kql_text.h"

#include <fmt/format.h>

#include <ctime>

namespace kubeblame::kql {

namespace {

using analyze::Dimension;

// The built-in cluster-scoped resources as "resource/group" (analyze::is_cluster_scoped).
constexpr std::string_view kClusterScoped =
    R"(dynamic(["nodes/", "namespaces/", "persistentvolumes/", "componentstatuses/", )"
    R"("clusterroles/rbac.authorization.k8s.io", "clusterrolebindings/rbac.authorization.k8s.io", )"
    R"("customresourcedefinitions/apiextensions.k8s.io", "apiservices/apiregistration.k8s.io", )"
    R"("storageclasses/storage.k8s.io", "csidrivers/storage.k8s.io", "csinodes/storage.k8s.io", )"
    R"("volumeattachments/storage.k8s.io", "priorityclasses/scheduling.k8s.io", )"
    R"("runtimeclasses/node.k8s.io", "ingressclasses/networking.k8s.io", )"
    R"("mutatingwebhookconfigurations/admissionregistration.k8s.io", )"
    R"("validatingwebhookconfigurations/admissionregistration.k8s.io", )"
    R"("validatingadmissionpolicies/admissionregistration.k8s.io", )"
    R"("validatingadmissionpolicybindings/admissionregistration.k8s.io", )"
    R"("certificatesigningrequests/certificates.k8s.io", "flowschemas/flowcontrol.apiserver.k8s.io", )"
    R"("prioritylevelconfigurations/flowcontrol.apiserver.k8s.io", "tokenreviews/authentication.k8s.io", )"
    R"("selfsubjectreviews/authentication.k8s.io", "subjectaccessreviews/authorization.k8s.io", )"
    R"("selfsubjectaccessreviews/authorization.k8s.io", "selfsubjectrulesreviews/authorization.k8s.io"]))";

constexpr std::string_view kCollectionVerbs = R"(Verb in ("list", "watch", "deletecollection"))";

std::string or_none(const std::string& expression) { return fmt::format("kb_or_none({})", expression); }

// A character of a glob outside a set, as a regex atom.
std::string regex_literal(char c) {
  constexpr std::string_view kSpecial = R"(\.+*?()|[]{}^$)";
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f) return fmt::format("\\x{:02x}", u);
  if (kSpecial.find(c) != std::string_view::npos) return std::string("\\") + c;
  return std::string(1, c);
}

// A character inside a regex class.
std::string set_member(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f) return fmt::format("\\x{:02x}", u);
  if (std::string_view(R"(\]^[-)").find(c) != std::string_view::npos) return std::string("\\") + c;
  return std::string(1, c);
}

// The glob set starting at pattern[p] == '[' as a regex class; p ends past its ']'. Ranges are
// read as analyze::glob_match reads them.
std::string regex_set(std::string_view pattern, std::size_t& p) {
  std::string out = "[";
  ++p;
  if (p < pattern.size() && (pattern[p] == '!' || pattern[p] == '^')) {
    out += '^';
    ++p;
  }
  bool first = true;
  while (p < pattern.size() && (pattern[p] != ']' || first)) {
    char c = pattern[p];
    if (c == '\\' && p + 1 < pattern.size()) c = pattern[++p];
    ++p;
    out += set_member(c);
    first = false;
    if (p + 1 < pattern.size() && pattern[p] == '-' && pattern[p + 1] != ']') {
      char high = pattern[p + 1];
      p += 2;
      if (high == '\\' && p < pattern.size()) high = pattern[p++];
      out += '-';
      out += set_member(high);
    }
  }
  ++p;  // the closing ]
  return out + "]";
}

}  // namespace

std::string string_literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string glob_to_regex(std::string_view glob) {
  std::string out = "(?s)^";
  std::size_t p = 0;
  while (p < glob.size()) {
    char c = glob[p];
    if (c == '*') {
      out += ".*";
      ++p;
    } else if (c == '?') {
      out += '.';
      ++p;
    } else if (c == '[') {
      out += regex_set(glob, p);
    } else {
      if (c == '\\' && p + 1 < glob.size()) c = glob[++p];
      out += regex_literal(c);
      ++p;
    }
  }
  return out + "$";
}

std::string datetime_literal(model::TimeNs time) {
  std::time_t seconds = static_cast<std::time_t>(time / 1'000'000'000);
  std::int64_t nanos = time % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::string out = fmt::format("datetime({:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  // Log Analytics keeps 100 ns ticks: seven digits are exact.
  if (nanos != 0) out += fmt::format(".{:07}", nanos / 100);
  return out + "Z)";
}

std::string timespan_literal(std::int64_t seconds) { return fmt::format("{}s", seconds); }

std::string time_expression(const analyze::TimeBound& bound) {
  if (!bound.relative) return datetime_literal(bound.at);
  return fmt::format("ago({})", timespan_literal(bound.before_ns / 1'000'000'000));
}

std::string dimension_column(Dimension dimension) {
  return fmt::format("k_{}", analyze::dimension_name(dimension));
}

std::string dimension_expression(Dimension dimension) {
  switch (dimension) {
    case Dimension::kAgent: return or_none(R"K(trim_end(@" +", tostring(split(UserAgent, "/")[0])))K");
    case Dimension::kUserAgent: return or_none("UserAgent");
    case Dimension::kUser: return or_none("tostring(User.username)");
    case Dimension::kImpersonatedUser: return or_none("tostring(ImpersonatedUser.username)");
    case Dimension::kVerb: return or_none("Verb");
    case Dimension::kResource:
      return R"K(iff(isempty(Res), kb_or_none(tostring(split(RequestUri, "?")[0])), )K"
             R"K(strcat(Res, iff(isempty(ApiGroup), "", strcat(".", ApiGroup)), iff(isempty(Sub), "", strcat("/", Sub)))))K";
    case Dimension::kNamespace:
      return fmt::format(
          R"K(iff(isempty(Res), "(none)", iff(isnotempty(Ns), Ns, iff(strcat(Res, "/", ApiGroup) in ({}), )K"
          R"K("(cluster)", iff({}, "(all)", "(cluster)")))))K",
          kClusterScoped, kCollectionVerbs);
    case Dimension::kName:
      return fmt::format(R"K(iff(isnotempty(ObjName), ObjName, iff(isnotempty(Res) and {}, "(all)", "(none)")))K",
                         kCollectionVerbs);
    case Dimension::kObject:
      return R"K(iff(k_namespace == "(none)", k_resource, strcat(k_resource, )K"
             R"K(iff(k_namespace == "(cluster)", "", strcat("/", k_namespace)), "/", k_name)))K";
    case Dimension::kCode: return R"K(iff(Code <= 0, "(none)", tostring(Code)))K";
    case Dimension::kSourceIp:
      return or_none(
          R"K(iff(gettype(SourceIps) == "array", extract(@'"([^"]+)"(?:,"")*\]$', 1, tostring(SourceIps)), )K"
          R"K(tostring(SourceIps)))K");
    case Dimension::kError:
    case Dimension::kWebhook:
    case Dimension::kPriorityLevel:
    case Dimension::kFlowSchema:
    case Dimension::kCount: break;  // refused before a query is built (query.cpp)
  }
  return R"K("(none)")K";
}

std::string where_predicate(const analyze::WhereClause& clause) {
  std::string column = dimension_column(clause.dimension);
  switch (clause.op) {
    case analyze::WhereOp::kEqual: return fmt::format("{} == {}", column, string_literal(clause.value));
    case analyze::WhereOp::kNotEqual: return fmt::format("{} != {}", column, string_literal(clause.value));
    case analyze::WhereOp::kGlob:
      return fmt::format("{} matches regex {}", column, string_literal(glob_to_regex(clause.value)));
    case analyze::WhereOp::kNotGlob:
      return fmt::format("not({} matches regex {})", column, string_literal(glob_to_regex(clause.value)));
    case analyze::WhereOp::kGreaterEqual:
    case analyze::WhereOp::kLessEqual:
    case analyze::WhereOp::kGreater:
    case analyze::WhereOp::kLess:
      return fmt::format("Code > 0 and Code {} {}", analyze::where_op_text(clause.op), clause.number);
  }
  return "true";
}

std::string comment_text(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace kubeblame::kql
