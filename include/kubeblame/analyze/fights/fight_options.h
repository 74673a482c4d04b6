// The thresholds and memory bounds of fight detection (`kubeblame fights`, docs/manual.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kubeblame::analyze {

// Every threshold of the detector. A writer is the request URI's ?fieldManager= when present,
// else "user (agent)"; a write without fieldManager joins the fieldManager writer of the same
// (user, agent) on the same object when that pair used exactly one fieldManager there.
struct FightOptions {
  // --- fight: consecutive successful writes alternate between writers ---------------------
  // Flips = consecutive writes (in time order) by different writers.
  // --min-flips: flips between writers that have min_writer_writes each; fewer is a handoff.
  std::uint64_t min_flips = 3;
  std::uint64_t min_writers = 2;         // --min-writers: writers with >= min_writer_writes
  std::uint64_t min_writer_writes = 2;   // --min-writer-writes: one kubectl scale is not a side
  double min_flips_per_hour = 1.0;       // --min-flips-per-hour: flips / (last - first write)
  // --- conflict burst: 409 Conflict responses on one object ----------------------------------
  // Reported even without successful alternation (the loser's writes all fail). kind "fight"
  // when two writers are involved, "conflicts" when one writer conflicts with itself.
  std::uint64_t min_conflicts = 10;      // --min-conflicts
  // --- hot loop: one writer rewriting one object at a steady, high rate ----------------------
  std::uint64_t hot_min_writes = 30;     // --hot-min-writes: writes by that writer
  double hot_min_per_hour = 60;          // --hot-min-per-hour: its writes / its active span
  double hot_min_span_seconds = 600;     // --hot-min-span: a burst shorter than this is not a loop
  // --hot-min-busy: share of equal time slices (up to 20 over the writer's span) that hold at
  // least one of its writes; 1.0 = perfectly steady, low = a burst then silence.
  double hot_min_busy_fraction = 0.8;
  // --- report shape ---------------------------------------------------------------------------
  std::size_t max_fields = 20;           // --max-fields: contested paths listed per row
  std::size_t pattern_length = 32;       // --pattern-length: letters in the write pattern
  // --- memory bounds (see docs in fight_analyzer.h) -------------------------------------------
  // Writes kept per object for ordering (the latest ones by time); totals stay exact beyond it,
  // and flips are then counted over the kept window (the row says so: flips_exact=false).
  std::size_t max_writes_per_object = 256;   // --max-writes-per-object
  // Distinct objects tracked. Beyond it, objects are sampled by a hash of their name (1 in 2,
  // 1 in 4, ...), the same objects whatever -j; the report warns.
  std::size_t max_objects = 1'000'000;       // --max-objects
  // Fields remembered per (object, writer): the last value of at most this many paths,
  // preferring paths the writer patched over paths of its full-object writes.
  std::size_t max_paths_per_writer = 64;
  std::size_t max_value_length = 120;        // value text kept, longer ends in "…"
  // All (object, writer, path) entries together; beyond it, field tracking is sampled by
  // object like max_objects (rows then say fields were not kept).
  std::size_t max_field_entries = 200'000;
};

}  // namespace kubeblame::analyze
