// kubeblame: who loads the Kubernetes API server, with which requests, and which errors and
// controller fights dominate. main() is the list of stages; each lives in its own module.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "kubeblame/app/app.h"
#include "kubeblame/cli/config.h"

int main(int argc, char** argv) {
  // A closed stdout pipe must surface as EPIPE (a clean exit), not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  // Logging goes to stderr only, never per input line.
  auto logger = spdlog::stderr_color_mt("kubeblame");
  logger->set_pattern("kubeblame: %^%l%$: %v");
  spdlog::set_default_logger(logger);

  // Command line → validated config (help, version and usage errors exit here).
  kubeblame::cli::ParseResult parsed = kubeblame::cli::parse_command_line(argc, argv);
  if (!parsed.run) return parsed.exit_code;
  const kubeblame::cli::Config& config = parsed.config;
  spdlog::set_level(config.quiet           ? spdlog::level::err
                    : config.verbosity > 1 ? spdlog::level::debug
                    : config.verbosity > 0 ? spdlog::level::info
                                           : spdlog::level::warn);

  // Inputs → pipeline (read, decode, aggregate) → report → output → exit code.
  return kubeblame::app::run(config);
}
