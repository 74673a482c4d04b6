// --stats lines: throughput, the pipeline's stage times, group state, each input, and the wall
// time of every stage of app::run.
#include "kubeblame/app/run_stats.h"

#include <fmt/format.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"

namespace kubeblame::app {

void StageTimer::done(std::string name) {
  auto now = std::chrono::steady_clock::now();
  stages_.emplace_back(std::move(name), std::chrono::duration<double>(now - last_).count());
  last_ = now;
}

double StageTimer::seconds(const std::string& name) const {
  for (const auto& [stage, seconds] : stages_) {
    if (stage == name) return seconds;
  }
  return 0;
}

namespace {

std::string_view framing_name(decode::Framing framing) {
  switch (framing) {
    case decode::Framing::kJsonDocument: return "json document";
    case decode::Framing::kCsv: return "csv";
    case decode::Framing::kLines: break;
  }
  return "lines";
}

void print_inputs(const pipeline::RunResult& result) {
  for (const auto& input : result.inputs) {
    fmt::print(stderr, "stats: input {}: {} ({}{}), {}\n",
               report::escape_terminal(input.path == "-" ? "<stdin>" : input.path),
               decode::decoder_kind_name(input.decoder), framing_name(input.framing),
               input.encoding.empty() ? "" : ", " + std::string(input.encoding), report::format_bytes(input.bytes));
  }
}

}  // namespace

void print_stats(const pipeline::RunResult& result, const analyze::Shard& shard, std::size_t threads,
                 const StageTimer& stages) {
  std::uint64_t bytes = 0;
  for (const auto& input : result.inputs) bytes += input.bytes;
  const auto& t = result.times;
  double rate = t.wall_s > 0 ? static_cast<double>(bytes) / t.wall_s : 0;
  std::size_t groups = 0;
  std::size_t memory = 0;
  for (const auto& table : shard.tables()) {
    groups += table.size();
    memory += table.memory_bytes();
  }
  fmt::print(stderr, "stats: {} ({}) in {:.3f} s ({}), {}, {}\n", report::format_bytes(bytes),
             report::plural(bytes, "byte"), t.wall_s, report::format_byte_rate(rate), report::plural(t.chunks, "chunk"),
             report::plural(threads, "worker"));
  fmt::print(stderr,
             "stats: reader {:.3f} s, decode+aggregate {:.3f} s (summed over workers), "
             "merge {:.3f} s, render {:.3f} s\n",
             t.read_s, t.decode_s, t.merge_s, stages.seconds("build+render"));
  fmt::print(stderr, "stats: {}, {} of group state after merge\n", report::plural(groups, "group"),
             report::format_bytes(memory));
  fmt::print(stderr, "stats: {}, {} of seen-event tables\n", report::plural(shard.stats().duplicates, "duplicate"),
             report::format_bytes(t.seen_bytes));
  print_inputs(result);
  std::string line;
  for (const auto& [stage, seconds] : stages.stages()) {
    line += fmt::format("{}{} {:.3f} s", line.empty() ? "" : ", ", stage, seconds);
  }
  fmt::print(stderr, "stats: stages: {}\n", line);
}

}  // namespace kubeblame::app
