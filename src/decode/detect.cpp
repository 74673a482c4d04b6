// Detection works on text, not on a parse: it must be cheap, must not trust the input to be
// valid, and only has to tell the known shapes apart. A record's kind is that of the first
// known key found in it; keys of nested, escaped JSON (`\"kind\"`) do not match.
#include "kubeblame/decode/detect.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "kubeblame/decode/cloudwatch_decoder.h"
#include "kubeblame/decode/column.h"
#include "kubeblame/decode/csv.h"
#include "kubeblame/decode/klog.h"

namespace kubeblame::decode {
namespace {

constexpr std::size_t kRecordScanLimit = std::size_t{64} * 1024;

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '@';  // Logs Insights fields: @timestamp, @message
}

// The decoder whose records carry `key` (format_table.h); kCount for any other key.
DecoderKind kind_of_key(std::string_view key) {
  for (const DecoderRow& row : decoder_table()) {
    for (std::string_view known : row.keys) {
      if (known == key) return row.kind;
    }
  }
  return DecoderKind::kCount;
}

std::string_view skip_space(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  return text.substr(i);
}

// Facts about the first top-level JSON value in `text`.
struct JsonSniff {
  bool closed = false;          // the value ended inside `text`
  bool spans_lines = false;     // a newline came before it ended
  bool batch_key = false;       // a depth-1 batch key (is_batch_key) opens an array
};

// Depth-1 keys whose array holds the records (json_framer.cpp): EventList, Event Hub, REST,
// CloudWatch filter-log-events, subscription data and get-query-results.
bool is_batch_key(std::string_view key) {
  return key == "items" || key == "records" || key == "tables" || key == "events" ||
         key == "logEvents" || key == "results";
}

JsonSniff sniff_json(std::string_view text) {
  JsonSniff sniff;
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  std::size_t key_start = 0;
  std::string_view last_key;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') {
        in_string = false;
        if (depth == 1) last_key = text.substr(key_start, i - key_start);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        key_start = i + 1;
        break;
      case '{':
      case '[':
        if (depth == 1 && c == '[' && is_batch_key(last_key)) {
          sniff.batch_key = true;
        }
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth == 0) {
          sniff.closed = true;
          return sniff;
        }
        break;
      case '\n':
        sniff.spans_lines = true;
        break;
      default:
        break;
    }
  }
  return sniff;
}


// Log text: one of the first lines (up to kLogSniffLines non-blank ones) is a klog line, a
// CRI-prefixed line or a trace continuation. kube-apiserver often starts with a few plain lines
// ("Flag --x has been deprecated"), so the first line alone is not enough.
constexpr int kLogSniffLines = 16;

bool is_log_text_line(std::string_view line) {
  model::LogLine parsed;
  parse_log_text(line, 1, parsed);  // a non-zero reference: no wall-clock lookup
  return parsed.shape == model::LogShape::kKlog || parsed.shape == model::LogShape::kContinuation ||
         parsed.text.data() != line.data();  // a CRI prefix was stripped
}

bool looks_like_log_text(std::string_view head) {
  int seen = 0;
  while (!head.empty() && seen < kLogSniffLines) {
    std::size_t newline = head.find('\n');
    std::string_view line = head.substr(0, newline);
    head = newline == std::string_view::npos ? std::string_view{} : head.substr(newline + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++seen;
    if (is_log_text_line(line)) return true;
  }
  return false;
}

// A JSON log line ({"level":"warn","ts":...,"msg":...}) whose keys name no other input format.
bool is_json_log_line(std::string_view line) {
  model::LogLine parsed;
  parse_log_text(line, 1, parsed);
  return parsed.shape == model::LogShape::kJson && !parsed.message.empty() &&
         parsed.level != model::LogLevel::kUnknown;
}

bool looks_like_csv_header(std::string_view line, std::vector<std::string_view>& cells,
                           StringArena& arena) {
  if (line.find(',') == std::string_view::npos) return false;
  if (!split_csv_record(line, cells, arena)) return false;
  for (std::string_view cell : cells) {
    if (column_for(cell) != Column::kIgnored) return true;
  }
  return false;
}

// A bare get-query-results row or cell (`[{"field":"@...` or `{"field":"@...`): keys too common
// to name a format in the key table, so told apart by their start.
bool looks_like_query_cell(std::string_view body) {
  if (body.front() == '[') body = skip_space(body.substr(1));
  if (body.empty() || body.front() != '{') return false;
  body = skip_space(body.substr(1));
  constexpr std::string_view kField = "\"field\"";
  if (body.substr(0, kField.size()) != kField) return false;
  body = skip_space(body.substr(kField.size()));
  if (body.empty() || body.front() != ':') return false;
  return skip_space(body.substr(1)).substr(0, 2) == "\"@";
}

// A CloudWatch export-task object: its first non-blank line is `<RFC 3339 time> {...`. Checked
// before log text, whose CRI prefix also starts with a time.
bool looks_like_export_task(std::string_view head) {
  std::string_view body = skip_space(head);
  std::string_view line = body.substr(0, body.find('\n'));
  model::TimeNs time = 0;
  std::string_view message;
  return split_export_line(line, time, message) && !message.empty() && message.front() == '{';
}

// A Logs Insights CSV export: a header cell `@message`.
bool is_insights_header(const std::vector<std::string_view>& cells) {
  return std::find(cells.begin(), cells.end(), std::string_view("@message")) != cells.end();
}

}  // namespace

bool looks_binary(std::string_view text) {
  std::size_t control = 0;
  for (char ch : text.substr(0, 4096)) {
    auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') ++control;
  }
  return control * 20 > std::min<std::size_t>(text.size(), 4096);
}

DecoderKind detect_record(std::string_view record) {
  std::string_view text = record.substr(0, kRecordScanLimit);
  for (std::size_t pos = text.find('"'); pos != std::string_view::npos;
       pos = text.find('"', pos + 1)) {
    std::size_t end = pos + 1;
    while (end < text.size() && is_key_char(text[end])) ++end;
    if (end >= text.size() || text[end] != '"' || end == pos + 1) continue;
    std::size_t colon = end + 1;
    while (colon < text.size() && (text[colon] == ' ' || text[colon] == '\t' || text[colon] == '\n' || text[colon] == '\r')) ++colon;
    if (colon >= text.size() || text[colon] != ':') {
      pos = end;  // a string value: its closing quote is not a key's opening quote
      continue;
    }
    DecoderKind kind = kind_of_key(text.substr(pos + 1, end - pos - 1));
    if (kind != DecoderKind::kCount) return kind;
    pos = end;
  }
  return DecoderKind::kUnknown;
}

namespace {

InputPlan csv_plan(std::string_view head, std::size_t bom, const std::vector<std::string_view>& cells) {
  InputPlan plan;
  std::size_t newline = head.find('\n');
  auto csv = std::make_shared<InputContext>();
  csv->container = Container::kCsvRows;
  for (std::string_view cell : cells) csv->columns.emplace_back(cell);
  csv->column_ids = columns_for(csv->columns);
  plan.framing = Framing::kCsv;
  plan.decoder = DecoderKind::kLaRow;
  plan.context = std::move(csv);
  plan.skip_bytes = bom + (newline == std::string_view::npos ? head.size() : newline + 1);
  plan.first_line = 2;
  return plan;
}

// A JSON input: its decoder from its first keys, and how its records are framed.
void plan_json(std::string_view body, bool complete, InputPlan& plan) {
  JsonSniff sniff = sniff_json(body);
  plan.decoder = detect_record(body);
  if (plan.decoder == DecoderKind::kUnknown && looks_like_query_cell(body)) {
    plan.decoder = DecoderKind::kCloudWatch;
    if (body.front() == '[') plan.top_array_container = Container::kQueryRows;
  }
  bool one_line_record = !sniff.spans_lines && (sniff.closed || !complete) && !sniff.batch_key;
  plan.framing = body.front() == '{' && one_line_record ? Framing::kLines : Framing::kJsonDocument;
  if (plan.decoder == DecoderKind::kUnknown) {
    bool json_log = plan.framing == Framing::kLines &&
                    is_json_log_line(body.substr(0, body.find('\n')));
    plan.decoder = json_log ? DecoderKind::kLogText : DecoderKind::kAuditEvent;
  }
}

// Not JSON: a CloudWatch export task, a CSV export, log text, or unknown.
InputPlan plan_text(std::string_view head, InputPlan plan, FormatHint hint) {
  if (looks_like_export_task(head)) {
    plan.decoder = DecoderKind::kCloudWatch;
    return plan;
  }
  std::string_view first_line = head.substr(0, head.find('\n'));
  StringArena arena;
  std::vector<std::string_view> cells;
  if (split_csv_record(first_line, cells, arena) && is_insights_header(cells)) {
    InputPlan insights = csv_plan(head, plan.skip_bytes, cells);
    insights.decoder = DecoderKind::kCloudWatch;
    return insights;
  }
  if (looks_like_csv_header(first_line, cells, arena) ||
      (hint == FormatHint::kLogAnalyticsCsv && split_csv_record(first_line, cells, arena))) {
    return csv_plan(head, plan.skip_bytes, cells);
  }
  plan.decoder = !looks_binary(head) && looks_like_log_text(head) ? DecoderKind::kLogText
                                                                 : DecoderKind::kUnknown;
  return plan;
}

InputPlan sniff_input(std::string_view head, bool complete, FormatHint hint) {
  InputPlan plan;
  auto lines_context = std::make_shared<InputContext>();
  plan.context = lines_context;
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") {
    plan.skip_bytes = 3;
    head.remove_prefix(3);
  }
  std::string_view body = skip_space(head);
  if (body.empty()) {
    plan.decoder = DecoderKind::kUnknown;
    return plan;
  }
  if (body.front() == '[' || body.front() == '{') {
    plan_json(body, complete, plan);
    return plan;
  }
  return plan_text(head, std::move(plan), hint);
}

}  // namespace

InputPlan detect_input(std::string_view head, bool complete, FormatHint hint) {
  if (hint == FormatHint::kLogText) {  // every line is a log line, whatever it looks like
    InputPlan plan;
    plan.context = std::make_shared<InputContext>();
    plan.decoder = DecoderKind::kLogText;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") plan.skip_bytes = 3;
    return plan;
  }
  InputPlan plan = sniff_input(head, complete, hint);
  if (DecoderKind forced = hint_row(hint).decoder; forced != DecoderKind::kUnknown) plan.decoder = forced;
  return plan;
}

}  // namespace kubeblame::decode
