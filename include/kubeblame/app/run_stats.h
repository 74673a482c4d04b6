// --stats: wall time per stage of app::run, and the pipeline's counters, on stderr.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kubeblame/analyze/shard.h"
#include "kubeblame/pipeline/run.h"

namespace kubeblame::app {

// Times consecutive stages: each done() closes the stage that began at the previous one.
class StageTimer {
 public:
  void done(std::string name);
  const std::vector<std::pair<std::string, double>>& stages() const { return stages_; }
  double seconds(const std::string& name) const;

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> stages_;
};

void print_stats(const pipeline::RunResult& result, const analyze::Shard& shard, std::size_t threads,
                 const StageTimer& stages);

}  // namespace kubeblame::app
