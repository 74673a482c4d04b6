// Expands the command line's paths into the ordered list of inputs to read.
#pragma once

#include <string>
#include <vector>

namespace kubeblame::io {

struct InputList {
  std::vector<std::string> paths;     // what can be read, in order
  std::vector<std::string> problems;  // "PATH: reason" for each path that cannot be
};

// Files stay in the order given; a directory contributes its regular files recursively, sorted
// by path so that runs are reproducible; "-" (or an empty list) means stdin. A path that does
// not exist or cannot be read, an unreadable file or subdirectory, and a directory without
// files are problems: the rest is still listed, so what can be read is reported.
InputList expand_inputs(const std::vector<std::string>& paths);

}  // namespace kubeblame::io
