// Report data for `kubeblame fights` (docs/json.md, "fights" rows). Built by build_fights();
// rendered by render_fights() in the four output formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kubeblame/analyze/fights/fights.h"
#include "kubeblame/model/audit_event.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

struct FightWriter {
  std::string writer;  // fieldManager, else "user (agent)"
  std::string user;    // the (user, agent) behind it (the busiest one if several)
  std::string agent;
  std::uint64_t writes = 0;     // successful writes
  std::uint64_t conflicts = 0;  // 409 Conflict responses to its writes
  std::string verbs;            // "patch,update" (successful writes)
  char letter = 'A';            // the letter used in `pattern`
};

struct FieldValue {
  std::string writer;
  std::string value;  // JSON text of the value this writer sets (last seen)
  char letter = 'A';
};

struct ContestedField {
  std::string path;  // jq path: ".spec.conversion.webhook.clientConfig.service.namespace"
  std::vector<FieldValue> values;
};

struct FightRow {
  std::string kind;  // "fight" | "hot-loop" | "conflicts" (409 burst by a single writer)
  std::string object;  // resource/namespace/name (resource/name when cluster-scoped)
  std::string resource, namespace_name, name;
  std::string api_group;    // "apiextensions.k8s.io"; "" for the core group
  std::string object_kind;  // "CustomResourceDefinition" (from bodies, a table, or a guess)
  std::uint64_t writes = 0;
  std::uint64_t flips = 0;
  bool flips_exact = true;        // false when writes > the kept window: flips counted over it
  std::uint64_t window_writes = 0;  // writes the flips/pattern were computed from
  double per_hour = 0;     // flips per hour for fights, writes per hour for hot loops
  std::uint64_t conflicts = 0;  // 409 responses on this object
  std::vector<FightWriter> writers;
  std::vector<ContestedField> fields;
  std::uint64_t fields_omitted = 0;  // contested paths beyond --max-fields
  bool bodies = false;     // whether request bodies were available for this object
  bool fields_kept = true;  // false when field tracking was sampled away (memory bound)
  std::uint64_t bodies_too_big = 0;  // writes whose body was "skipped-too-big-size-object"
  std::string pattern;     // compact write sequence, e.g. "ABABABAB…"
  std::optional<model::TimeNs> first, last;
  std::string hint;        // remediation: YAML snippet (starts with '#') or one sentence
  // A hot loop by the owner of a normal-writes entry (analyze::normal_writes() index) that
  // writes faster than the entry allows, and how many times the entry's rate it writes.
  std::optional<std::size_t> normal_write;
  double normal_write_factor = 0;
};

// Writes left out of fight detection as normal patterns (counted by the analysis, and per
// normal-writes catalog entry by build_fights()).
using FightExclusions = analyze::FightExclusions;
using NormalWriteCount = analyze::NormalWriteCount;

struct FightsReport {
  std::string command = "fights";
  std::size_t top = 20;
  InputSummary input;
  std::vector<FightRow> rows;
  std::uint64_t objects_written = 0;  // distinct objects with at least one successful write
  std::uint64_t writes = 0;           // successful writes considered
  std::uint64_t other_rows = 0;       // rows beyond --top
  FightExclusions excluded;
};

}  // namespace kubeblame::report
