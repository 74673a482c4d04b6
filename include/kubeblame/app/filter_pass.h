// Sets up --since/--until/--where for a run. Relative times (`--since 2h`) count back from the
// input's last record, so they cost a first pass (an empty plan: accounting only) before the
// real one; stdin is spooled to a temporary file so that it can be read twice.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "kubeblame/analyze/record_filter.h"
#include "kubeblame/io/stdin_spool.h"
#include "kubeblame/pipeline/run.h"

namespace kubeblame::app {

class FilterPass {
 public:
  // How many times the inputs are read: 2 with a relative --since/--until, else 1.
  static int passes(const analyze::FilterSpec& filters) { return filters.relative() ? 2 : 1; }
  // With a relative time (or a plan that reads the APF log lines first), replaces stdin by a
  // spooled copy that can be read twice. Throws
  // io::IoError. Call before prepare().
  void spool_stdin(const analyze::FilterSpec& filters, pipeline::PipelineOptions& options);
  // Fills options.plan.filter; a relative time first runs the counting pass (its bytes go to
  // options.bytes_read like the real pass's). Throws std::invalid_argument (a window that cannot
  // contain anything, one line naming both flags).
  void prepare(const analyze::FilterSpec& filters, int verbosity,
               pipeline::PipelineOptions& options);
  // Puts "-" back where the spool stood in, so reports and messages name stdin.
  void restore_names(pipeline::PipelineOptions& options, pipeline::RunResult& result) const;

 private:
  std::unique_ptr<io::StdinSpool> spool_;
};

}  // namespace kubeblame::app
