// Report data for `kubeblame fights` (SPEC "fights" rows). Built by analyze/fights' build_fights();
// rendered by render_fights() in the four output formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kubeblame/model/audit_event.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

struct FightWriter {
  std::string writer;  // fieldManager, else "user (agent)"
  std::string user;
  std::string agent;
  std::uint64_t writes = 0;
  char letter = 'A';   // the letter used in `pattern`
};

struct FieldValue {
  std::string writer;
  std::string value;  // JSON text of the value this writer sets (last seen)
};

struct ContestedField {
  std::string path;  // ".spec.conversion.webhook.clientConfig.service.namespace"
  std::vector<FieldValue> values;
};

struct FightRow {
  std::string kind;  // "fight" | "hot-loop"
  std::string object;  // resource/namespace/name
  std::string resource, namespace_name, name;
  std::uint64_t writes = 0;
  std::uint64_t flips = 0;
  double per_hour = 0;     // flips per hour for fights, writes per hour for hot loops
  std::uint64_t conflicts = 0;  // 409 responses on this object
  std::vector<FightWriter> writers;
  std::vector<ContestedField> fields;
  bool bodies = false;     // whether request bodies were available for this object
  std::string pattern;     // compact write sequence, e.g. "ABABABAB…"
  std::optional<model::TimeNs> first, last;
  std::string hint;        // remediation: YAML snippet or one sentence
};

struct FightsReport {
  std::string command = "fights";
  std::size_t top = 20;
  InputSummary input;
  std::vector<FightRow> rows;
  std::uint64_t objects_written = 0;  // distinct objects with at least one successful write
  std::uint64_t other_rows = 0;       // rows beyond --top
};

}  // namespace kubeblame::report
