// Fight detection, report side: from the merged FightAnalyzer's per-object state to ranked rows.
//
// For each object with more than one write or a conflict:
//  1. Writers are unified: a write without ?fieldManager= joins the fieldManager writer of the
//     same (user, agent) on this object when that pair used exactly one fieldManager there
//     (the Dapr operator's plain updates and its fieldManager=dapr-operator patches are one
//     writer); otherwise it stays "user (agent)".
//  2. The kept window of latest writes is sorted by (time, input, line, record); consecutive
//     writes by different writers are flips. per_hour = flips / (last - first) of the window
//     (at least one second). When the object had more writes than the window, flips cover the
//     window only (flips_exact = false); writes and conflicts are always exact.
//  3. Classification, in this order:
//     fight      at least min_writers writers with >= min_writer_writes writes each ("sides"),
//                at least min_flips flips between sides (a one-off writer in between adds
//                none), and per_hour >= min_flips_per_hour;
//     fight / conflicts  otherwise, when 409 conflicts >= min_conflicts ("conflicts" when a
//                single writer is involved);
//     hot-loop   otherwise, when the busiest writer has >= hot_min_writes writes over at least
//                hot_min_span_seconds at >= hot_min_per_hour, spread over at least
//                hot_min_busy_fraction of equal time slices of its span (slices: half its
//                writes in the window, 1 to 20).
//     Objects whose bodies mark them as leader-election locks are never reported.
//  4. A hot loop whose writer owns the object by an entry of the normal-writes catalog
//     (analyze/fights/normal_writes.h, docs/normal-writes.md) and writes no faster than
//     kNormalRateTolerance times the entry's rate is left out and counted per entry; faster, it
//     is reported and says how many times the entry's rate it writes. Fights and conflict bursts
//     are never looked up.
//  5. Contested fields: paths set by two or more writers whose last values differ.
#include "kubeblame/report/build.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/analyze/fights/normal_writes.h"
#include "kubeblame/analyze/redact.h"
#include "kubeblame/report/fight_hints.h"

namespace kubeblame::report {

namespace {

using namespace kubeblame::analyze;  // the fight analysis types, read throughout this file

constexpr double kNsPerHour = 3600e9;
constexpr std::size_t kMaxSlices = 20;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

struct WriterParts {
  std::string_view manager, user, agent;
};

WriterParts split_writer(std::string_view key) {
  WriterParts parts;
  std::size_t a = key.find('\x1f');
  std::size_t b = a == std::string_view::npos ? a : key.find('\x1f', a + 1);
  parts.manager = key.substr(0, a);
  if (b != std::string_view::npos) {
    parts.user = key.substr(a + 1, b - a - 1);
    parts.agent = key.substr(b + 1);
  }
  return parts;
}

struct Unified {
  std::string name;
  std::uint64_t writes = 0, conflicts = 0;
  std::uint8_t verbs = 0;
  model::TimeNs first = 0, last = 0;
  // The busiest raw writer stands for the (user, agent) shown.
  std::string_view user, agent;
  std::string_view manager;  // the field manager when the writer is one, else ""
  std::uint64_t best_writes = 0;
  bool has_best = false;
  int letter_order = -1;
};

struct Evaluation {
  std::vector<Unified> writers;
  std::vector<std::pair<std::uint32_t, std::size_t>> raw_to_unified;  // writer id -> index
  std::vector<WriteRecord> window;   // sorted, latest max_writes_per_object
  std::vector<std::size_t> sequence;  // unified index per window write
  std::uint64_t flips = 0;
  double flips_per_hour = 0;
};

std::size_t unified_index(const Evaluation& e, std::uint32_t writer) {
  for (const auto& [raw, index] : e.raw_to_unified) {
    if (raw == writer) return index;
  }
  return 0;
}

std::size_t find_or_add_unified(std::vector<Unified>& writers, const std::string& name) {
  for (std::size_t i = 0; i < writers.size(); ++i) {
    if (writers[i].name == name) return i;
  }
  writers.push_back(Unified{});
  writers.back().name = name;
  return writers.size() - 1;
}

void unify_writers(const FightAnalyzer& analyzer, const ObjectDetail& detail, Evaluation& e) {
  std::vector<WriterParts> parts;
  for (const WriterStats& stats : detail.writers) {
    parts.push_back(split_writer(analyzer.writers().text(stats.writer)));
  }
  for (std::size_t i = 0; i < detail.writers.size(); ++i) {
    std::string name;
    std::string_view manager = parts[i].manager;
    if (!manager.empty()) {
      name = std::string(manager);
    } else {
      std::string_view only_manager;
      bool several = false;
      for (const WriterParts& other : parts) {
        if (other.manager.empty() || other.user != parts[i].user || other.agent != parts[i].agent) continue;
        if (!only_manager.empty() && other.manager != only_manager) several = true;
        only_manager = other.manager;
      }
      manager = !several ? only_manager : std::string_view{};
      name = !manager.empty()
                 ? std::string(manager)
                 : std::string(parts[i].user) + " (" + std::string(parts[i].agent) + ")";
    }
    std::size_t index = find_or_add_unified(e.writers, name);
    e.writers[index].manager = manager;
    e.raw_to_unified.emplace_back(detail.writers[i].writer, index);
    Unified& u = e.writers[index];
    const WriterStats& stats = detail.writers[i];
    if (stats.writes > 0) {
      if (u.writes == 0 || stats.first < u.first) u.first = stats.first;
      if (u.writes == 0 || stats.last > u.last) u.last = stats.last;
    }
    u.writes += stats.writes;
    u.conflicts += stats.conflicts;
    u.verbs |= stats.verbs;
    auto rank = std::make_tuple(stats.writes + stats.conflicts, parts[i].user, parts[i].agent);
    if (!u.has_best || rank > std::make_tuple(u.best_writes, u.user, u.agent)) {
      u.best_writes = stats.writes + stats.conflicts;
      u.user = parts[i].user;
      u.agent = parts[i].agent;
      u.has_best = true;
    }
  }
}

void order_window(const ObjectDetail& detail, std::size_t keep, Evaluation& e) {
  e.window = detail.window;
  std::sort(e.window.begin(), e.window.end(), write_before);
  if (e.window.size() > keep) {
    e.window.erase(e.window.begin(), e.window.end() - static_cast<std::ptrdiff_t>(keep));
  }
  for (const WriteRecord& write : e.window) e.sequence.push_back(unified_index(e, write.writer));
  for (std::size_t i = 1; i < e.sequence.size(); ++i) e.flips += e.sequence[i] != e.sequence[i - 1];
  if (e.window.size() >= 2) {
    double span = static_cast<double>(e.window.back().time - e.window.front().time);
    e.flips_per_hour = static_cast<double>(e.flips) * kNsPerHour / std::max(span, 1e9);
  }
}

// Letters follow first appearance in the window, then the writers outside it by writes.
std::vector<std::size_t> letter_order(Evaluation& e) {
  std::vector<std::size_t> order;
  for (std::size_t index : e.sequence) {
    if (e.writers[index].letter_order < 0) {
      e.writers[index].letter_order = static_cast<int>(order.size());
      order.push_back(index);
    }
  }
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < e.writers.size(); ++i) {
    if (e.writers[i].letter_order < 0) rest.push_back(i);
  }
  std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) {
    const Unified& x = e.writers[a];
    const Unified& y = e.writers[b];
    if (x.writes + x.conflicts != y.writes + y.conflicts) {
      return x.writes + x.conflicts > y.writes + y.conflicts;
    }
    return x.name < y.name;
  });
  for (std::size_t index : rest) {
    e.writers[index].letter_order = static_cast<int>(order.size());
    order.push_back(index);
  }
  return order;
}

char letter(int order) {
  if (order < 26) return static_cast<char>('A' + order);
  if (order < 52) return static_cast<char>('a' + order - 26);
  return '*';
}

// Share of equal time slices of the writer's window span that hold one of its writes.
double busy_fraction(const Evaluation& e, std::size_t writer) {
  std::vector<model::TimeNs> times;
  for (std::size_t i = 0; i < e.window.size(); ++i) {
    if (e.sequence[i] == writer) times.push_back(e.window[i].time);
  }
  if (times.size() < 2 || times.back() == times.front()) return 0;
  std::size_t slices = std::clamp<std::size_t>(times.size() / 2, 1, kMaxSlices);
  double width = static_cast<double>(times.back() - times.front()) / static_cast<double>(slices);
  std::vector<bool> hit(slices, false);
  for (model::TimeNs t : times) {
    auto slice = static_cast<std::size_t>(static_cast<double>(t - times.front()) / width);
    hit[std::min(slice, slices - 1)] = true;
  }
  return static_cast<double>(std::count(hit.begin(), hit.end(), true)) / static_cast<double>(slices);
}

std::string verbs_text(std::uint8_t verbs) {
  std::string out;
  for (std::size_t i = 0; i < std::size(kWriteVerbs); ++i) {
    if (!(verbs & (1u << i))) continue;
    if (!out.empty()) out += ',';
    out += kWriteVerbs[i];
  }
  return out;
}

// The window's letters, cut after `length` with "…"; a leading "…" when older writes fell out
// of the window.
std::string pattern_text(const Evaluation& e, std::uint64_t writes, std::size_t length) {
  std::string out;
  if (e.sequence.size() < writes) out += kEllipsis;
  for (std::size_t i = 0; i < e.sequence.size() && i < length; ++i) {
    out += letter(e.writers[e.sequence[i]].letter_order);
  }
  if (e.sequence.size() > length) out += kEllipsis;
  return out;
}

void contested_fields(const ObjectDetail& detail, const Evaluation& e, std::size_t max_fields,
                      report::FightRow& row) {
  // path -> unified writer -> (when, value); std::map keeps paths sorted.
  std::map<std::string_view, std::map<int, const FieldEntry*>> by_path;
  for (const FieldEntry& entry : detail.fields) {
    int order = e.writers[unified_index(e, entry.writer)].letter_order;
    const FieldEntry*& slot = by_path[entry.path][order];
    if (slot == nullptr || write_before(slot->at, entry.at)) slot = &entry;
  }
  for (const auto& [path, values] : by_path) {
    if (values.size() < 2) continue;
    bool differ = false;
    for (const auto& [order, entry] : values) differ = differ || entry->value != values.begin()->second->value;
    if (!differ) continue;
    if (row.fields.size() >= max_fields) {
      ++row.fields_omitted;
      continue;
    }
    report::ContestedField field;
    field.path = std::string(path);
    for (const auto& [order, entry] : values) {
      for (const Unified& u : e.writers) {
        if (u.letter_order == order) field.values.push_back({u.name, entry->value, letter(order)});
      }
    }
    row.fields.push_back(std::move(field));
  }
}

std::string_view kind_name(int kind) {
  return kind == 0 ? "fight" : kind == 1 ? "conflicts" : "hot-loop";
}

struct Candidate {
  int kind = 0;  // 0 fight, 1 conflicts, 2 hot-loop (rank order)
  report::FightRow row;
  // A hot loop left out as normal: its catalog entry and the looping writer's writes.
  std::optional<std::size_t> normal_excluded;
  std::uint64_t normal_writes = 0;
};

void fill_identity(const FightAnalyzer& analyzer, const ObjectState& object,
                   const ObjectDetail& detail, report::FightRow& row) {
  row.resource = std::string(analyzer.strings().text(object.resource));
  row.namespace_name = std::string(analyzer.strings().text(object.namespace_id));
  row.name = std::string(analyzer.name(object));
  row.object = row.resource + '/';
  if (row.namespace_name != kClusterScope) row.object += row.namespace_name + '/';
  row.object += row.name;
  std::size_t cut = row.resource.find('/');
  std::string_view base = std::string_view(row.resource).substr(0, cut);
  std::size_t dot = base.find('.');
  std::string_view plural = base.substr(0, dot);
  row.api_group = dot == std::string_view::npos ? std::string() : std::string(base.substr(dot + 1));
  row.object_kind = detail.object_kind != ObjectDetail::kNoKind
                        ? std::string(analyzer.strings().text(detail.object_kind))
                        : kind_for_resource(plural, row.api_group).kind;
}

struct Verdict {
  int kind = 0;  // 0 fight, 1 conflicts, 2 hot-loop
  double per_hour = 0;
  std::size_t busiest = 0;  // unified index of the writer with most writes
};

bool is_hot_loop(const Evaluation& e, std::size_t busiest, const FightOptions& options,
                 double& per_hour) {
  const Unified& u = e.writers[busiest];
  if (u.writes < options.hot_min_writes) return false;
  double span = static_cast<double>(u.last - u.first);
  if (span < options.hot_min_span_seconds * 1e9) return false;
  per_hour = static_cast<double>(u.writes) * kNsPerHour / std::max(span, 1e9);
  return per_hour >= options.hot_min_per_hour &&
         busy_fraction(e, busiest) >= options.hot_min_busy_fraction;
}

std::optional<Verdict> classify(const Evaluation& e, const std::vector<std::size_t>& order,
                                const ObjectDetail& detail, const FightOptions& options) {
  std::uint64_t sides = 0;
  std::uint64_t involved = 0;
  for (const Unified& u : e.writers) {
    sides += u.writes >= options.min_writer_writes ? 1 : 0;
    involved += u.writes + u.conflicts > 0 ? 1 : 0;
  }
  Verdict v;
  v.per_hour = e.flips_per_hour;
  v.busiest = order.front();
  for (std::size_t index : order) {
    if (e.writers[index].writes > e.writers[v.busiest].writes) v.busiest = index;
  }
  // Flips between sides only: a one-off writer in between (one kubectl scale) adds none.
  std::uint64_t side_flips = 0;
  std::size_t previous = e.writers.size();
  for (std::size_t index : e.sequence) {
    if (e.writers[index].writes < options.min_writer_writes) continue;
    side_flips += previous != e.writers.size() && index != previous ? 1 : 0;
    previous = index;
  }
  if (side_flips >= options.min_flips && e.flips_per_hour >= options.min_flips_per_hour &&
      sides >= options.min_writers) {
    v.kind = 0;
  } else if (detail.conflicts >= options.min_conflicts) {
    v.kind = involved >= 2 ? 0 : 1;
  } else if (is_hot_loop(e, v.busiest, options, v.per_hour)) {
    v.kind = 2;
  } else {
    return std::nullopt;
  }
  return v;
}

void fill_writers(const Evaluation& e, std::vector<std::size_t> shown, const Verdict& v,
                  report::FightRow& row) {
  if (v.kind == 2) {  // the looping writer first
    auto it = std::find(shown.begin(), shown.end(), v.busiest);
    std::rotate(shown.begin(), it, it + 1);
  }
  for (std::size_t index : shown) {
    const Unified& u = e.writers[index];
    row.writers.push_back({u.name, std::string(u.user), std::string(u.agent), u.writes, u.conflicts,
                           verbs_text(u.verbs), letter(u.letter_order)});
    if (u.writes > 0) {
      row.first = row.first ? std::min(*row.first, u.first) : u.first;
      row.last = row.last ? std::max(*row.last, u.last) : u.last;
    }
  }
}

// The catalog entry by which a hot loop's writer owns the object, when there is one.
std::optional<std::size_t> normal_write_entry(const FightAnalyzer& analyzer,
                                              const ObjectState& object, const Unified& writer) {
  std::size_t index = match_normal_write(
      analyzer.strings().text(object.resource), analyzer.strings().text(object.namespace_id),
      analyzer.name(object), writer.user, writer.agent, writer.manager);
  if (index == kNormalWriteCount) return std::nullopt;
  return index;
}

// For a hot loop matching the catalog: left out (normal_excluded set) when no faster than the
// entry allows, else the row says how many times the entry's rate it writes.
void check_normal_write(const FightAnalyzer& analyzer, const ObjectState& object,
                        const Evaluation& e, const Verdict& verdict, Candidate& c) {
  if (verdict.kind != 2) return;
  const Unified& writer = e.writers[verdict.busiest];
  std::optional<std::size_t> entry = normal_write_entry(analyzer, object, writer);
  if (!entry) return;
  double factor = verdict.per_hour / normal_writes_per_hour(normal_writes()[*entry]);
  if (factor <= kNormalRateTolerance) {
    c.normal_excluded = entry;
    c.normal_writes = writer.writes;
    return;
  }
  c.row.normal_write = entry;
  c.row.normal_write_factor = factor;
}

std::optional<Candidate> evaluate(const FightAnalyzer& analyzer, const ObjectState& object,
                                  const ObjectDetail& detail, const FightOptions& options) {
  Evaluation e;
  unify_writers(analyzer, detail, e);
  order_window(detail, options.max_writes_per_object, e);
  std::vector<std::size_t> order = letter_order(e);
  if (order.empty()) return std::nullopt;
  std::optional<Verdict> verdict = classify(e, order, detail, options);
  if (!verdict) return std::nullopt;

  Candidate c;
  c.kind = verdict->kind;
  check_normal_write(analyzer, object, e, *verdict, c);
  if (c.normal_excluded) return c;
  report::FightRow& row = c.row;
  row.kind = std::string(kind_name(c.kind));
  fill_identity(analyzer, object, detail, row);
  row.writes = object.writes;
  row.flips = e.flips;
  row.window_writes = e.window.size();
  // One writer: no flips however many writes fell out of the window.
  std::size_t writing = 0;
  for (const Unified& u : e.writers) writing += u.writes > 0 ? 1 : 0;
  row.flips_exact = e.window.size() == object.writes || writing == 1;
  row.per_hour = verdict->per_hour;
  row.conflicts = detail.conflicts;
  fill_writers(e, order, *verdict, row);
  row.bodies = detail.body_writes > 0;
  row.bodies_too_big = detail.too_big;
  row.fields_kept = analyzer.fields_tracked(object);
  row.pattern = pattern_text(e, object.writes, options.pattern_length);
  contested_fields(detail, e, options.max_fields, row);
  row.hint = c.kind == 2 ? hot_loop_hint(row) : fight_hint(row);
  return c;
}

bool ranks_before(const Candidate& a, const Candidate& b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  const report::FightRow& x = a.row;
  const report::FightRow& y = b.row;
  if (a.kind == 1 && x.conflicts != y.conflicts) return x.conflicts > y.conflicts;
  if (x.per_hour != y.per_hour) return x.per_hour > y.per_hour;
  if (x.flips != y.flips) return x.flips > y.flips;
  if (x.conflicts != y.conflicts) return x.conflicts > y.conflicts;
  if (x.writes != y.writes) return x.writes > y.writes;
  return x.object < y.object;
}

}  // namespace

FightsReport build_fights(const analyze::FightAnalyzer& analyzer, const InputSummary& input,
                          std::size_t top) {
  const analyze::FightOptions& options = analyzer.options();
  report::FightsReport report;
  report.top = top;
  report.input = input;
  report.excluded = analyzer.exclusions();
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < analyzer.object_count(); ++i) {
    const ObjectState& object = analyzer.object(i);
    if (object.writes > 0) ++report.objects_written;
    report.writes += object.writes;
    const ObjectDetail* detail = analyzer.detail(object);
    ObjectDetail stored;
    if (detail == nullptr) {
      // One or two writes, no conflicts: a row only under thresholds that low.
      if (object.writes < std::min<std::uint64_t>(options.min_flips + 1, options.hot_min_writes)) continue;
      stored = analyzer.materialize(object);
      detail = &stored;
    }
    if (detail->leader_lock) {
      report.excluded.leader_lock_writes += object.writes;
      continue;
    }
    std::optional<Candidate> candidate = evaluate(analyzer, object, *detail, options);
    if (candidate && candidate->normal_excluded) {
      NormalWriteCount& count = report.excluded.normal_writes[*candidate->normal_excluded];
      count.writes += candidate->normal_writes;
      ++count.objects;
    } else if (candidate) {
      candidates.push_back(std::move(*candidate));
    }
  }
  std::sort(candidates.begin(), candidates.end(), ranks_before);
  for (Candidate& candidate : candidates) {
    if (top != 0 && report.rows.size() >= top) {
      ++report.other_rows;
      continue;
    }
    report.rows.push_back(std::move(candidate.row));
  }
  if (analyzer.object_sample_level() > 0) {
    report.input.warnings.push_back(
        "fights: more written objects than --max-objects " + std::to_string(options.max_objects) +
        "; objects were sampled, 1 in " + std::to_string(1ull << std::min(analyzer.object_sample_level(), 63u)));
  }
  if (analyzer.field_sample_level() > 0) {
    report.input.warnings.push_back(
        "fights: more field entries than --max-field-entries " +
        std::to_string(options.max_field_entries) + "; contested fields kept for 1 in " +
        std::to_string(1ull << std::min(analyzer.field_sample_level(), 63u)) + " objects");
  }
  return report;
}

// --redact: the values writers set can be anything (image names, hostnames, keys), so the
// fights report keeps the contested paths and only shows which values differ.
void redact_fight_values(FightsReport& fights, const analyze::RedactKey& key) {
  analyze::Redactor redactor(key);
  for (FightRow& row : fights.rows) {
    for (ContestedField& field : row.fields) {
      for (FieldValue& value : field.values) value.value = redactor.token("value", value.value);
    }
  }
}

}  // namespace kubeblame::report
