// Whole-pipeline target: format detection, framing, every decoder, every analyzer and every
// renderer, on one input file made of the fuzz data. Invariants: no crash, no sanitizer report,
// Line accounting (docs/counting.md) holds, and the JSON report is the same whatever the chunk size.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/errors/error_table.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/report/build.h"
#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/render_errors.h"
#include "kubeblame/report/render_fights.h"

namespace {

using namespace kubeblame;

std::string analyse(const std::string& path, std::size_t chunk_size) {
  pipeline::PipelineOptions options;
  options.inputs = {path};
  options.threads = 1;
  options.chunk_size = chunk_size;
  options.max_line = 1 << 20;
  std::vector<analyze::Dimension> all;
  for (std::size_t i = 0; i < analyze::kDimensionCount; ++i) {
    all.push_back(static_cast<analyze::Dimension>(i));
  }
  options.plan.groupings = {all, {analyze::Dimension::kAgent}};
  analyze::ErrorOptions error_options;
  error_options.min_level = model::LogLevel::kInfo;
  analyze::FightOptions fight_options;
  fight_options.min_flips = 1;
  options.plan.analyzers = {analyze::error_analyzer_factory(error_options),
                            analyze::fight_analyzer_factory(fight_options)};
  pipeline::RunResult result = pipeline::run(options);
  const analyze::Shard& shard = *result.merged;
  fuzz::check_accounting(shard.stats());

  report::InputSummary input = report::build_input_summary(shard.stats(), {"fuzz"});
  report::RenderOptions render;
  render.color = true;
  std::string json;
  for (auto format : {report::OutputFormat::kTable, report::OutputFormat::kMarkdown,
                      report::OutputFormat::kCsv, report::OutputFormat::kJson}) {
    report::TopReport top = report::build_top(shard.tables().front(), input, report::SortKey::kP99, 3);
    report::ErrorsReport errors = report::build_errors(shard.get<analyze::ErrorTable>(), input, 3);
    report::FightsReport fights = report::build_fights(shard.get<analyze::FightAnalyzer>(), input, 3);
    std::string text = report::render_top(top, format, render) +
                       report::render_errors(errors, format, render) +
                       report::render_fights(fights, format, render);
    if (format == report::OutputFormat::kJson) json = std::move(text);
  }
  return json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = ::memfd_create("fuzz-input", MFD_CLOEXEC);
  if (fd < 0) return 0;
  std::size_t written = 0;
  while (written < size) {
    ssize_t n = ::write(fd, data + written, size - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::string small = analyse(path, 512);
  std::string large = analyse(path, 1 << 20);
  ::close(fd);
  if (small != large) fuzz::fail("JSON report depends on the chunk size");
  return 0;
}
