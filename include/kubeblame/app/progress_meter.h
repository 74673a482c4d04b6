// The progress bar on stderr: a thread redraws it from an atomic byte counter the reader adds to
// (one relaxed add per read), at most 10 times a second, and erases it before anything else is
// printed to stderr (log messages go through progress_aware_sink()) or the report is written.
#pragma once

#include <spdlog/sinks/sink.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kubeblame::app {

class ProgressMeter {
 public:
  struct Options {
    std::optional<std::uint64_t> total;  // input bytes (compressed: gzip, zstd); none for a pipe
    bool terminal = true;                // redraw in place and erase at the end; else end with '\n'
    bool forced = false;                 // --progress: draw from the start and always a final line
    std::chrono::milliseconds delay{500};   // auto mode: quiet for runs shorter than this
    std::chrono::milliseconds period{100};  // between redraws
    std::FILE* out = stderr;
  };

  explicit ProgressMeter(Options options);
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  std::atomic<std::uint64_t>* counter() { return &bytes_; }
  // A pass over the inputs decided during the run (report's APF pass, docs/design.md "APF
  // join"): the total grows by its bytes, so the bar does not sit at 100% while it runs.
  void add_to_total(std::uint64_t bytes);
  // Joins the thread; draws the final state if anything was drawn (or forced), then erases it on
  // a terminal. Idempotent.
  void stop();

  // "[#####-----]  45%  1.2 GB of 2.7 GB  340 MB/s  ETA 4s", or "1.2 GB read  340 MB/s" without a total.
  static std::string line(std::uint64_t done, std::optional<std::uint64_t> total, double elapsed_s);

 private:
  void loop();
  void draw();

  Options options_;
  std::atomic<std::uint64_t> bytes_{0};
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::string last_text_;
  std::thread thread_;
};

// Sum of the sizes of the inputs when every one is a regular file ("-" when stdin is one); none
// when a pipe, a terminal or an unreadable path is among them (the pipeline reports that one).
std::optional<std::uint64_t> total_input_bytes(const std::vector<std::string>& paths);

// Wraps a stderr sink so a log message first erases a visible progress line.
std::shared_ptr<spdlog::sinks::sink> progress_aware_sink(std::shared_ptr<spdlog::sinks::sink> inner);

}  // namespace kubeblame::app
