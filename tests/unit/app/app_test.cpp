// app::run: the exit-code policy (docs/manual.md: 0 ok, 1 no events, 2 usage or I/O error, 3 --strict with
// skips) and the report reaching stdout, with stdout redirected to a file.
#include "kubeblame/app/app.h"

#include <fcntl.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../io/piece_source.h"

namespace kubeblame::app {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs with stdout sent to a file and spdlog silenced.
Run run_app(const cli::Config& config, const test::TempDir& dir) {
  auto previous_logger = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
  std::string path = (dir.path() / "stdout.txt").string();
  int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(file >= 0);
  std::fflush(stdout);
  int saved = ::dup(STDOUT_FILENO);
  ::dup2(file, STDOUT_FILENO);
  Run result;
  result.exit_code = run(config);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(file);
  spdlog::set_default_logger(previous_logger);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  result.out = text.str();
  return result;
}

cli::Config config_for(std::vector<std::string> inputs) {
  cli::Config config;
  config.inputs = std::move(inputs);
  config.threads = 2;
  config.quiet = true;
  config.color = cli::ColorMode::kNever;
  config.format = report::OutputFormat::kJson;
  return config;
}

const char* const kEvents =
    R"({"verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30"})" "\n"
    R"({"verb":"list","stage":"ResponseComplete","userAgent":"kubelet/v1.29"})" "\n";

TEST_CASE("app::run exits 0 and writes the report", "[app]") {
  test::TempDir dir;
  Run r = run_app(config_for({dir.write("in/audit.log", kEvents)}), dir);
  CHECK(r.exit_code == kExitOk);
  CHECK(r.out.rfind("{\"tool\":\"kubeblame\"", 0) == 0);
  CHECK(r.out.find("\"key\":{\"agent\":\"kubectl\"}") != std::string::npos);
  CHECK(r.out.find("\"key\":{\"agent\":\"kubelet\"}") != std::string::npos);
}

TEST_CASE("app::run exit codes: no events, I/O errors, --strict", "[app]") {
  test::TempDir dir;
  std::string klog = dir.write("in/apiserver.log", "E1128 04:20:08.123456 1 x.go:1] boom\n");
  CHECK(run_app(config_for({klog}), dir).exit_code == kExitNoEvents);

  std::string missing = (dir.path() / "missing.log").string();
  Run usage = run_app(config_for({missing}), dir);
  CHECK(usage.exit_code == kExitUsage);
  CHECK(usage.out.empty());

  std::string cut = dir.write("in/cut.gz", test::gzip(kEvents).substr(0, 20));
  Run io_error = run_app(config_for({cut}), dir);
  CHECK(io_error.exit_code == kExitUsage);
  CHECK(io_error.out.find("\"warnings\":[\"input error: ") != std::string::npos);

  std::string mixed = dir.write("in/mixed.log", std::string(kEvents) + "{\"verb\":\"get\",,}\n");
  cli::Config strict = config_for({mixed});
  CHECK(run_app(strict, dir).exit_code == kExitOk);
  strict.strict = true;
  Run strict_run = run_app(strict, dir);
  CHECK(strict_run.exit_code == kExitStrict);
  CHECK(strict_run.out.find("\"skipped\":{\"malformed_json\":1}") != std::string::npos);
}

}  // namespace
}  // namespace kubeblame::app
