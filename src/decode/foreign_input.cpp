// Telling what a foreign input is. Like detection (detect.cpp) this works on text, never trusts
// it to be valid, and only has to tell a few common mistakes apart: a node's auditd log picked up
// by a glob, a Log Analytics query of the wrong table, any other JSON, binary data, other text.
#include "kubeblame/decode/foreign_input.h"

#include <array>
#include <vector>

#include "kubeblame/decode/column.h"
#include "kubeblame/decode/detect.h"

namespace kubeblame::decode {
namespace {

constexpr std::size_t kMaxNamedKeys = 6;
constexpr std::size_t kMaxQuotedLine = 60;

std::string_view skip_space(std::string_view text) {
  std::size_t i = text.find_first_not_of(" \t\r\n");
  return i == std::string_view::npos ? std::string_view{} : text.substr(i);
}

std::string_view first_line(std::string_view text) {
  for (;;) {
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos || newline == std::string_view::npos) {
      return line;
    }
    text.remove_prefix(newline + 1);
  }
}

bool is_upper_word(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Linux auditd (auditd.conf log_format RAW or ENRICHED): `[node=N ]type=SYSCALL msg=audit(...): ...`.
bool is_auditd_line(std::string_view line) {
  if (line.substr(0, 5) == "node=") {
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return false;
    line.remove_prefix(space + 1);
  }
  if (line.substr(0, 5) != "type=") return false;
  std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return false;
  return is_upper_word(line.substr(5, space - 5)) && line.substr(space + 1, 10) == "msg=audit(";
}

// The keys of the first JSON object in `text` (an array's first element), in order, unescaped
// text as it stands (escaped keys are rare and only named here).
std::vector<std::string_view> first_object_keys(std::string_view text) {
  std::vector<std::string_view> keys;
  int depth = 0;
  int key_depth = -1;  // the depth of the first object's members
  bool expect_key = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      if (end >= text.size()) break;
      if (expect_key && depth == key_depth) keys.push_back(text.substr(i + 1, end - i - 1));
      expect_key = false;
      i = end;
    } else if (c == '{') {
      ++depth;
      if (key_depth < 0) key_depth = depth;
      expect_key = depth == key_depth;
    } else if (c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth-- == key_depth) break;
    } else if (c == ',') {
      expect_key = depth == key_depth;
    }
  }
  return keys;
}

// The string value of the first `"key": "value"` member in `text`, if any.
std::string_view string_member(std::string_view text, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\"";
  std::size_t at = text.find(needle);
  if (at == std::string_view::npos) return {};
  std::string_view rest = skip_space(text.substr(at + needle.size()));
  if (rest.empty() || rest.front() != ':') return {};
  rest = skip_space(rest.substr(1));
  if (rest.empty() || rest.front() != '"') return {};
  std::size_t end = rest.find('"', 1);
  return end == std::string_view::npos ? std::string_view{} : rest.substr(1, end - 1);
}

// The names of a REST response's first table's columns.
std::vector<std::string_view> rest_column_names(std::string_view text) {
  std::vector<std::string_view> names;
  std::size_t at = text.find("\"columns\"");
  if (at == std::string_view::npos) return names;
  std::string_view columns = text.substr(at, text.find(']', at) - at);
  for (std::string_view name = string_member(columns, "name"); !name.empty();
       name = string_member(columns, "name")) {
    names.push_back(name);
    columns.remove_prefix(static_cast<std::size_t>(name.data() - columns.data()) + name.size());
  }
  return names;
}

std::string join_names(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxNamedKeys; ++i) {
    out += (i == 0 ? "" : ", ") + std::string(names[i]);
  }
  if (names.size() > kMaxNamedKeys) out += ", …";
  return out;
}

bool names_an_audit_column(const std::vector<std::string_view>& names) {
  for (std::string_view name : names) {
    if (column_for(name) != Column::kIgnored && column_for(name) != Column::kTimeGenerated &&
        column_for(name) != Column::kType) {
      return true;
    }
  }
  return false;
}

std::string describe_log_analytics(std::string_view body, const std::vector<std::string_view>& keys) {
  if (names_an_audit_column(keys)) return {};
  std::string_view table = string_member(body, "Type");
  if (!table.empty()) {
    return "rows of the Log Analytics table " + std::string(table) +
           ", which holds no audit events or control-plane log lines";
  }
  return "Log Analytics rows with the columns " + join_names(keys) +
         ", none of an audit or control-plane table";
}

std::string describe_json(std::string_view body) {
  std::vector<std::string_view> keys = first_object_keys(body);
  if (!keys.empty() && keys.front() == "tables") {
    std::vector<std::string_view> columns = rest_column_names(body);
    if (names_an_audit_column(columns)) return {};
    return "a Log Analytics query response whose table (columns " + join_names(columns) +
           ") holds no audit events or control-plane log lines";
  }
  for (std::string_view key : keys) {
    if (key == "TimeGenerated") return describe_log_analytics(body, keys);
  }
  if (detect_record(body) != DecoderKind::kUnknown) return {};
  if (keys.empty()) {  // a first object cut before its first key says nothing
    return body.find('{') == std::string_view::npos ? "JSON that holds no objects" : std::string{};
  }
  return "JSON, but not audit events or a known export (the first record's keys: " +
         join_names(keys) + ")";
}

// A CSV header's cells, quotes dropped (enough to name columns: header cells hold no commas).
std::vector<std::string_view> csv_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  while (!line.empty()) {
    std::size_t comma = line.find(',');
    std::string_view cell = line.substr(0, comma);
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
    cells.push_back(cell);
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return cells;
}

std::string quoted_start(std::string_view line) {
  if (line.size() <= kMaxQuotedLine) return "`" + std::string(line) + "`";
  std::size_t cut = kMaxQuotedLine;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return "`" + std::string(line.substr(0, cut)) + "…`";
}

}  // namespace

std::string describe_foreign_input(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  std::string_view body = skip_space(head);
  if (body.empty()) return {};
  if (looks_binary(body)) return "binary data (not text, gzip or zstd)";
  if (body.front() == '{' || body.front() == '[') return describe_json(body);
  std::string_view line = first_line(body);
  if (std::vector<std::string_view> header = csv_cells(line); header.size() > 1) {
    for (std::string_view cell : header) {
      if (column_for(cell) != Column::kIgnored) return describe_log_analytics(body, header);
    }
  }
  if (is_auditd_line(line)) {
    return "a Linux auditd log (`type=… msg=audit(…)` lines), not a Kubernetes audit log";
  }
  return "text that is neither JSON nor kube-apiserver log lines (it starts " + quoted_start(line) + ")";
}

std::string_view accepted_formats_sentence() {
  return "kubeblame reads Kubernetes audit logs (JSON lines, arrays, EventList), Log Analytics "
         "exports of AKSAudit, AKSAuditAdmin, AKSControlPlane, AzureDiagnostics and their Arc "
         "tables (az -o json, REST, portal CSV), Azure diagnostic archives (Storage, Event Hub), "
         "EKS CloudWatch Logs exports, GKE Cloud Audit Logs and kube-apiserver log text; see docs/formats.md";
}

}  // namespace kubeblame::decode
