// `kubeblame fights`: objects written alternately by competing writers (fights), objects
// rewritten by one writer at a steady high rate (hot loops), and 409 Conflict bursts.
// fight_analyzer_factory() rides along the single pass; report::build_fights() turns the merged
// FightAnalyzer into report rows (ranked, with contested fields and remediation hints).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/fights/fight_options.h"
#include "kubeblame/analyze/fights/normal_writes.h"

namespace kubeblame::analyze {


// Hot loops left out because they match an entry of the normal-writes catalog.
struct NormalWriteCount {
  std::uint64_t writes = 0;   // the looping writer's writes
  std::uint64_t objects = 0;  // objects left out
};

// Writes the detector leaves out as normal patterns, counted for the report's footer.
struct FightExclusions {
  std::uint64_t lease_writes = 0;      // leases.coordination.k8s.io (leader election, node leases)
  std::uint64_t heartbeat_writes = 0;  // nodes/status, pods/status by system:node:*
  std::uint64_t event_writes = 0;      // events, events.events.k8s.io
  std::uint64_t leader_lock_writes = 0;  // configmaps/endpoints used as leader-election locks
  // Per entry of normal_writes() (same index); filled by the report, where hot loops are known.
  std::array<NormalWriteCount, kNormalWriteCount> normal_writes{};
};

AnalyzerFactory fight_analyzer_factory(FightOptions options);

}  // namespace kubeblame::analyze
