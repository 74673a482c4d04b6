// The progress line's exact text, and when the meter draws: quiet for short runs in auto mode,
// always a final line when forced, a newline at the end when stderr is not a terminal.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <thread>

#include "kubeblame/app/progress_meter.h"

namespace kubeblame::app {
namespace {

std::string read_all(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out.append(buffer, n);
  return out;
}

TEST_CASE("progress line: bar, percent, sizes, rate, ETA", "[app][progress]") {
  CHECK(ProgressMeter::line(1'200'000'000, 2'700'000'000, 4.0) ==
        "kubeblame: [########------------]  44%  1.2 GB of 2.7 GB  300 MB/s  ETA 5.0s");
  CHECK(ProgressMeter::line(2'700'000'000, 2'700'000'000, 9.0) ==
        "kubeblame: [####################] 100%  2.7 GB of 2.7 GB  300 MB/s  in 9.0s");
  CHECK(ProgressMeter::line(0, 1000, 0.0) == "kubeblame: [--------------------]   0%  0 B of 1.0 kB  0 B/s  ETA ?");
  CHECK(ProgressMeter::line(0, 0, 0.0) == "kubeblame: [####################] 100%  0 B of 0 B  0 B/s  in 0.0s");
  // Read past a total that grew since stat(): capped at 100%.
  CHECK(ProgressMeter::line(5000, 4000, 1.0) ==
        "kubeblame: [####################] 100%  4.0 kB of 4.0 kB  5.0 kB/s  in 1.0s");
}

TEST_CASE("progress line without a total: bytes, rate, elapsed", "[app][progress]") {
  CHECK(ProgressMeter::line(50'600'000, std::nullopt, 2.0) == "kubeblame: 50.6 MB read  25.3 MB/s  2.0s");
  CHECK(ProgressMeter::line(999, std::nullopt, 75.0) == "kubeblame: 999 B read  13 B/s  1m 15s");
  CHECK(ProgressMeter::line(999, std::nullopt, 9.94) == "kubeblame: 999 B read  101 B/s  9.9s");
  CHECK(ProgressMeter::line(999, std::nullopt, 9.96) == "kubeblame: 999 B read  100 B/s  10s");
}

// What a forced meter on a file (total 1,000 bytes) writes when 1,000 bytes are read and then
// `added` bytes join the total.
std::string forced_meter_text(std::uint64_t added) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    ProgressMeter::Options options;
    options.total = 1000;
    options.terminal = false;
    options.forced = true;
    options.period = std::chrono::milliseconds(5);
    options.out = file;
    ProgressMeter meter(options);
    meter.counter()->fetch_add(1000);
    if (added > 0) meter.add_to_total(added);
    meter.stop();
  }
  std::string text = read_all(file);
  std::fclose(file);
  return text;
}

TEST_CASE("forced meter on a file: a final line ending in a newline", "[app][progress]") {
  std::string text = forced_meter_text(0);
  CHECK(text.rfind("\rkubeblame: [", 0) == 0);
  CHECK(text.find("\rkubeblame: [####################] 100%  1.0 kB of 1.0 kB  ") != std::string::npos);
  CHECK(text.find("\x1b[K") == std::string::npos);
  CHECK(text.back() == '\n');
}

TEST_CASE("a pass added during the run grows the total", "[app][progress]") {
  std::string text = forced_meter_text(1000);
  CHECK(text.find("\rkubeblame: [##########----------]  50%  1.0 kB of 2.0 kB  ") != std::string::npos);
}

TEST_CASE("auto meter: nothing for a run shorter than the delay", "[app][progress]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  ProgressMeter::Options options;
  options.total = 1000;
  options.terminal = true;
  options.delay = std::chrono::seconds(30);
  options.period = std::chrono::milliseconds(5);
  options.out = file;
  ProgressMeter meter(options);
  meter.counter()->fetch_add(500);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  meter.stop();
  CHECK(read_all(file).empty());
  std::fclose(file);
}

TEST_CASE("auto meter on a terminal: redrawn in place, erased at the end", "[app][progress]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  ProgressMeter::Options options;
  options.total = 2000;
  options.terminal = true;
  options.delay = std::chrono::milliseconds(0);
  options.period = std::chrono::milliseconds(5);
  options.out = file;
  ProgressMeter meter(options);
  meter.counter()->fetch_add(1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  meter.stop();
  std::string text = read_all(file);
  std::fclose(file);
  CHECK(text.find("\r\x1b[Kkubeblame: [##########----------]  50%  1.0 kB of 2.0 kB  ") != std::string::npos);
  CHECK(text.size() >= 4);
  CHECK(text.substr(text.size() - 4) == "\r\x1b[K");
}

}  // namespace
}  // namespace kubeblame::app
