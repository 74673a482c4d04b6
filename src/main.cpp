// kubeblame: who loads the Kubernetes API server, with which requests, and which errors and
// controller fights dominate. main() is the list of stages; each lives in its own module.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <memory>

#include "kubeblame/app/app.h"
#include "kubeblame/app/progress_meter.h"
#include "kubeblame/cli/command_line.h"
#include "kubeblame/command/registry.h"

int main(int argc, char** argv) {
  // A closed stdout pipe must surface as EPIPE (a clean exit), not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  // Logging goes to stderr only, never per input line; colours only when stderr is a terminal,
  // and a message first erases the progress bar.
  auto color_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("kubeblame", kubeblame::app::progress_aware_sink(color_sink));
  logger->set_pattern("kubeblame: %^%l%$: %v");
  spdlog::set_default_logger(logger);

  // Command line → validated config (help, version and usage errors exit here).
  kubeblame::cli::ParseResult parsed =
      kubeblame::cli::parse_command_line(argc, argv, kubeblame::command::command_definitions());
  if (!parsed.run) return parsed.exit_code;
  const kubeblame::cli::Config& config = parsed.config;
  if (config.color == kubeblame::cli::ColorMode::kNever) color_sink->set_color_mode(spdlog::color_mode::never);
  spdlog::set_level(config.quiet           ? spdlog::level::err
                    : config.verbosity > 1 ? spdlog::level::debug
                    : config.verbosity > 0 ? spdlog::level::info
                                           : spdlog::level::warn);

  // The command: inputs → plan → filters → pipeline → build and render → write → exit code.
  return kubeblame::app::run(config);
}
