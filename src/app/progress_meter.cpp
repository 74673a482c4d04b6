// Progress bar drawing. One mutex orders the bar and log messages on stderr; the hot path only
// touches the atomic counter.
#include "kubeblame/app/progress_meter.h"

#include <fmt/format.h>
#include <spdlog/details/log_msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "kubeblame/report/format.h"

namespace kubeblame::app {

namespace {

// What stderr's current line holds: nothing of ours, a bar to erase (terminal), or a bar that
// still needs its newline (file or pipe).
enum class LineState { kClean, kTerminalBar, kOpenLine };

std::mutex& terminal_mutex() {
  static std::mutex mutex;
  return mutex;
}
LineState g_line = LineState::kClean;
std::FILE* g_line_out = nullptr;

// Caller holds terminal_mutex().
void clear_line() {
  if (g_line == LineState::kTerminalBar) std::fputs("\r\x1b[K", g_line_out);
  if (g_line == LineState::kOpenLine) std::fputc('\n', g_line_out);
  if (g_line != LineState::kClean) std::fflush(g_line_out);
  g_line = LineState::kClean;
}

class ProgressAwareSink : public spdlog::sinks::sink {
 public:
  explicit ProgressAwareSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override {
    std::lock_guard<std::mutex> lock(terminal_mutex());
    clear_line();
    inner_->log(msg);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

// Tenths below ten seconds (a fast run says "in 0.3s", not "in 0s"), then format_span.
std::string duration(double seconds) {
  return seconds < 9.95 ? fmt::format("{:.1f}s", seconds) : report::format_span(seconds);
}

std::optional<std::uint64_t> regular_file_size(const std::string& path) {
  struct stat info {};
  int rc = path == "-" ? ::fstat(STDIN_FILENO, &info) : ::stat(path.c_str(), &info);
  if (rc != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  std::uint64_t size = static_cast<std::uint64_t>(info.st_size);
  if (path == "-") {
    off_t at = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
    if (at > 0) size -= std::min(size, static_cast<std::uint64_t>(at));
  }
  return size;
}

}  // namespace

ProgressMeter::ProgressMeter(Options options)
    : options_(options), started_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { loop(); });
}

ProgressMeter::~ProgressMeter() { stop(); }

void ProgressMeter::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.period);
    if (stopping_) break;
    if (options_.forced || std::chrono::steady_clock::now() - started_ >= options_.delay) draw();
  }
}

void ProgressMeter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (drawn_ || options_.forced) draw();
  std::lock_guard<std::mutex> lock(terminal_mutex());
  if (g_line_out == options_.out) clear_line();
}

void ProgressMeter::add_to_total(std::uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);  // the drawing thread reads the total under it
  if (options_.total) *options_.total += bytes;
}

void ProgressMeter::draw() {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::uint64_t done = bytes_.load(std::memory_order_relaxed);
  std::string text = line(done, options_.total, elapsed);
  if (drawn_ && text == last_text_) return;  // the final draw often repeats the last tick's
  last_text_ = text;
  std::lock_guard<std::mutex> lock(terminal_mutex());
  if (g_line_out != nullptr && g_line_out != options_.out) clear_line();
  g_line_out = options_.out;
  std::fputs(options_.terminal ? "\r\x1b[K" : "\r", options_.out);
  std::fputs(text.c_str(), options_.out);
  std::fflush(options_.out);
  g_line = options_.terminal ? LineState::kTerminalBar : LineState::kOpenLine;
  drawn_ = true;
}

std::string ProgressMeter::line(std::uint64_t done, std::optional<std::uint64_t> total, double elapsed_s) {
  double rate = elapsed_s > 0.001 ? static_cast<double>(done) / elapsed_s : 0;
  std::string speed = report::format_byte_rate(rate);
  if (!total) {
    return fmt::format("kubeblame: {} read  {}  {}", report::format_bytes(done), speed, duration(elapsed_s));
  }
  constexpr std::uint64_t kWidth = 20;
  std::uint64_t shown = std::min(done, *total);
  std::uint64_t percent = *total == 0 ? 100 : shown * 100 / *total;
  std::uint64_t filled = *total == 0 ? kWidth : shown * kWidth / *total;
  std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '-');
  std::string tail = shown >= *total ? "in " + duration(elapsed_s)
                     : rate > 0     ? "ETA " + duration(static_cast<double>(*total - shown) / rate)
                                    : "ETA ?";
  return fmt::format("kubeblame: [{}] {:>3}%  {} of {}  {}  {}", bar, percent, report::format_bytes(shown),
                     report::format_bytes(*total), speed, tail);
}

std::optional<std::uint64_t> total_input_bytes(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const std::string& path : paths) {
    auto size = regular_file_size(path);
    if (!size) return std::nullopt;
    total += *size;
  }
  return total;
}

std::shared_ptr<spdlog::sinks::sink> progress_aware_sink(std::shared_ptr<spdlog::sinks::sink> inner) {
  return std::make_shared<ProgressAwareSink>(std::move(inner));
}

}  // namespace kubeblame::app
