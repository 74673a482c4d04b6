// Test helper: runs parse_command_line on arguments (the program name is added) and captures
// what it prints on stdout and stderr.
#pragma once

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "kubeblame/cli/command_line.h"
#include "kubeblame/command/registry.h"

namespace kubeblame::cli::testing {

struct Parsed {
  ParseResult result;
  std::string err;
  std::string out;
};

inline Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "kubeblame");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::ostringstream err, out;
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  Parsed parsed;
  parsed.result = parse_command_line(static_cast<int>(args.size()), argv.data(), command::command_definitions());
  std::cerr.rdbuf(old_err);
  std::cout.rdbuf(old_out);
  parsed.err = err.str();
  parsed.out = out.str();
  return parsed;
}

}  // namespace kubeblame::cli::testing
