// `kubeblame fights` as JSON (docs/json.md) and CSV. JSON rows carry every field of the
// contract plus the extras (conflicts per writer, flips_exact, window_writes, api_group,
// object_kind, bodies_too_big, fields_omitted, normal_write); the document's "excluded" counts
// the normal traffic left out, per kind and per normal-writes catalog entry; CSV has one row per fight with the writers and
// fields folded into cells.
#include <kubeblame/version.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_fights.h"

namespace kubeblame::report {

namespace {

void key(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

void optional_time(std::string& out, const std::optional<model::TimeNs>& value) {
  if (value) {
    json_string_value(out, format_rfc3339(*value));
  } else {
    out += "null";
  }
}

void writers_json(std::string& out, const FightRow& row) {
  out += '[';
  for (std::size_t i = 0; i < row.writers.size(); ++i) {
    const FightWriter& w = row.writers[i];
    if (i > 0) out += ',';
    out += '{';
    key(out, "writer");
    json_string_value(out, w.writer);
    out += ',';
    key(out, "user");
    json_string_value(out, w.user);
    out += ',';
    key(out, "agent");
    json_string_value(out, w.agent);
    out += ",\"writes\":" + std::to_string(w.writes);
    out += ",\"conflicts\":" + std::to_string(w.conflicts);
    out += ",\"verbs\":";
    json_string_value(out, w.verbs);
    out += ",\"letter\":";
    json_string_value(out, std::string(1, w.letter));
    out += '}';
  }
  out += ']';
}

void fields_json(std::string& out, const FightRow& row) {
  out += '[';
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    const ContestedField& field = row.fields[i];
    if (i > 0) out += ',';
    out += '{';
    key(out, "path");
    json_string_value(out, field.path);
    out += ",\"values\":[";
    for (std::size_t v = 0; v < field.values.size(); ++v) {
      if (v > 0) out += ',';
      out += '{';
      key(out, "writer");
      json_string_value(out, field.values[v].writer);
      out += ',';
      key(out, "value");
      json_string_value(out, field.values[v].value);
      out += '}';
    }
    out += "]}";
  }
  out += ']';
}

// "normal_writes":{"hpa-status":{"writes":240,"objects":1},...}: every catalog entry, in order.
void normal_writes_json(std::string& out, const FightExclusions& e) {
  out += ",\"normal_writes\":{";
  for (std::size_t i = 0; i < analyze::kNormalWriteCount; ++i) {
    if (i > 0) out += ',';
    json_string_value(out, analyze::normal_writes()[i].id);
    out += ":{\"writes\":" + std::to_string(e.normal_writes[i].writes) +
           ",\"objects\":" + std::to_string(e.normal_writes[i].objects) + '}';
  }
  out += '}';
}

// null, or {"entry":"hpa-status","period_s":15,"times_faster":7.5} for a catalogued writer
// writing faster than its documented period.
void normal_write_json(std::string& out, const FightRow& row) {
  if (!row.normal_write || *row.normal_write >= analyze::kNormalWriteCount) {
    out += "null";
    return;
  }
  const analyze::NormalWrite& entry = analyze::normal_writes()[*row.normal_write];
  out += "{\"entry\":";
  json_string_value(out, entry.id);
  out += ",\"period_s\":" + format_json_number(entry.period_seconds, 3);
  out += ",\"times_faster\":" + format_json_number(row.normal_write_factor, 3) + '}';
}

void row_json(std::string& out, const FightRow& row) {
  out += "{\"kind\":";
  json_string_value(out, row.kind);
  std::pair<std::string_view, const std::string*> strings[] = {
      {"object", &row.object},   {"resource", &row.resource},   {"namespace", &row.namespace_name},
      {"name", &row.name},       {"api_group", &row.api_group}, {"object_kind", &row.object_kind}};
  for (const auto& [name, value] : strings) {
    out += ',';
    key(out, name);
    json_string_value(out, *value);
  }
  out += ",\"writes\":" + std::to_string(row.writes);
  out += ",\"flips\":" + std::to_string(row.flips);
  out += std::string(",\"flips_exact\":") + (row.flips_exact ? "true" : "false");
  out += ",\"window_writes\":" + std::to_string(row.window_writes);
  out += ",\"per_hour\":" + format_json_number(row.per_hour, 3);
  out += ",\"conflicts\":" + std::to_string(row.conflicts);
  out += ",\"writers\":";
  writers_json(out, row);
  out += ",\"fields\":";
  fields_json(out, row);
  out += ",\"fields_omitted\":" + std::to_string(row.fields_omitted);
  out += std::string(",\"bodies\":") + (row.bodies ? "true" : "false");
  out += std::string(",\"fields_kept\":") + (row.fields_kept ? "true" : "false");
  out += ",\"bodies_too_big\":" + std::to_string(row.bodies_too_big);
  out += ",\"pattern\":";
  json_string_value(out, row.pattern);
  out += ",\"first\":";
  optional_time(out, row.first);
  out += ",\"last\":";
  optional_time(out, row.last);
  out += ",\"hint\":";
  json_string_value(out, row.hint);
  out += ",\"normal_write\":";
  normal_write_json(out, row);
  out += '}';
}

std::string time_cell(const std::optional<model::TimeNs>& value) {
  return value ? format_rfc3339(*value) : "";
}

}  // namespace

std::string render_fights_json(const FightsReport& report) {
  std::string out = json_document_head(report.command);
  out += ',';
  append_json_input(out, report.input);
  out += ',';
  append_fights_json_rows(out, report);
  out += "}\n";
  return out;
}

void append_fights_json_rows(std::string& out, const FightsReport& report) {
  out += "\"rows\":[";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    if (i > 0) out += ',';
    row_json(out, report.rows[i]);
  }
  out += "],\"objects_written\":" + std::to_string(report.objects_written);
  out += ",\"writes\":" + std::to_string(report.writes);
  const FightExclusions& e = report.excluded;
  out += ",\"excluded\":{\"lease_writes\":" + std::to_string(e.lease_writes) +
         ",\"heartbeat_writes\":" + std::to_string(e.heartbeat_writes) +
         ",\"event_writes\":" + std::to_string(e.event_writes) +
         ",\"leader_lock_writes\":" + std::to_string(e.leader_lock_writes);
  normal_writes_json(out, e);
  out += '}';
  out += ",\"other\":{\"rows\":" + std::to_string(report.other_rows) + "}";
}

std::string render_fights_csv(const FightsReport& report) {
  std::string out =
      "rank,kind,object,resource,namespace,name,api_group,object_kind,writes,flips,flips_exact,"
      "window_writes,per_hour,conflicts,writers,fields,bodies,pattern,first,last,hint\r\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const FightRow& row = report.rows[i];
    std::string writers;
    for (const FightWriter& w : row.writers) {
      if (!writers.empty()) writers += "; ";
      writers += std::string(1, w.letter) + "=" + w.writer + " (" + plural(w.writes, "write") + ", " +
                 plural(w.conflicts, "conflict") + ")";
    }
    std::string fields;
    for (const ContestedField& field : row.fields) {
      if (!fields.empty()) fields += "; ";
      fields += field.path + ":";
      for (const FieldValue& value : field.values) {
        fields += std::string(" ") + value.letter + "=" + value.value;
      }
    }
    out += std::to_string(i + 1) + ',' + escape_csv(row.kind) + ',' + escape_csv(row.object) + ',' +
           escape_csv(row.resource) + ',' + escape_csv(row.namespace_name) + ',' +
           escape_csv(row.name) + ',' + escape_csv(row.api_group) + ',' +
           escape_csv(row.object_kind) + ',' + std::to_string(row.writes) + ',' +
           std::to_string(row.flips) + ',' + (row.flips_exact ? "true" : "false") + ',' +
           std::to_string(row.window_writes) + ',' + format_json_number(row.per_hour, 3) + ',' +
           std::to_string(row.conflicts) + ',' + escape_csv(writers) + ',' + escape_csv(fields) +
           ',' + (row.bodies ? "true" : "false") + ',' + escape_csv(row.pattern) + ',' +
           time_cell(row.first) + ',' + time_cell(row.last) + ',' + escape_csv(row.hint) + "\r\n";
  }
  return out;
}

}  // namespace kubeblame::report
