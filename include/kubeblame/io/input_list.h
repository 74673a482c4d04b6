// Expands the command line's paths into the ordered list of inputs to read.
#pragma once

#include <string>
#include <vector>

namespace kubeblame::io {

// Files stay in the order given; a directory contributes its regular files recursively, sorted
// by path so that runs are reproducible; "-" (or an empty list) means stdin.
// Throws IoError for a path that does not exist or cannot be read.
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths);

}  // namespace kubeblame::io
