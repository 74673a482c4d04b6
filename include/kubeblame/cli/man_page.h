// The kubeblame(1) man page, generated from the CLI11 definition at build time (CMake runs
// `kubeblame --man`), so every command and option is documented as --help shows it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kubeblame::cli {

// man(7) roff: NAME, SYNOPSIS, DESCRIPTION, COMMANDS, OPTIONS per command, EXIT STATUS,
// ENVIRONMENT, EXAMPLES (from each command's help footer), SEE ALSO.
std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace kubeblame::cli
