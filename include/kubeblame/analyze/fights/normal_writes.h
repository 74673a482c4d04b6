// The catalog of normal write patterns: a controller writing an object it owns at its
// documented period (the HPA controller writing horizontalpodautoscalers/status every 15 s).
// A hot loop that matches an entry and writes no faster than kNormalRateTolerance times the
// entry's rate is left out of the fights report and counted per entry; faster, it is still
// reported and its hint says how much faster. Every entry and its source: docs/normal-writes.md.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace kubeblame::analyze {

// Glob patterns, as --where's `~` (glob_match: '*' matches any run); empty slots are unused.
using NormalWritePatterns = std::array<std::string_view, 3>;

struct NormalWrite {
  std::string_view id;     // JSON key under excluded.normal_writes: "hpa-status"
  std::string_view label;  // footer text: "HPA status writes"
  // The written object as the fight detector names its resource ("plural[.group][/subresource]",
  // scale writes count on the main object), and patterns for its namespace and name ("" = any).
  std::string_view resource;
  std::string_view namespace_pattern;
  std::string_view name_pattern;
  // The owning controller: a writer matches when its user, agent or field manager matches one
  // of these patterns.
  NormalWritePatterns users, agents, managers;
  double period_seconds = 0;  // the documented interval between two writes of one object
  std::string_view period_text;  // "every 15 s"
  std::string_view source;       // where the period comes from (flag, default, code)
  std::string_view when_faster;  // what a faster rate usually means, for the hint
};

// A matching hot loop is normal up to this many times the entry's rate.
inline constexpr double kNormalRateTolerance = 1.5;
inline constexpr std::size_t kNormalWriteCount = 8;

// The catalog, in a fixed order (the order of the footer and of the JSON keys).
std::span<const NormalWrite, kNormalWriteCount> normal_writes();

// The index of the entry for this object and writer, or kNormalWriteCount when none matches.
std::size_t match_normal_write(std::string_view resource, std::string_view namespace_name,
                               std::string_view name, std::string_view user,
                               std::string_view agent, std::string_view manager);

// Writes per hour the entry expects at most from one object (3600 / period).
double normal_writes_per_hour(const NormalWrite& entry);

}  // namespace kubeblame::analyze
