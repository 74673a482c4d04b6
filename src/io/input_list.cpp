// Path expansion: files, directories (recursive, sorted) and stdin.
#include "kubeblame/io/input_list.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace kubeblame::io {
namespace fs = std::filesystem;

namespace {

std::string reason(const std::error_code& ec) { return ec ? ec.message() : "No such file or directory"; }

// Unreadable files or subdirectories are problems, not silently skipped: a report that quietly
// left out part of the logs would be wrong without saying so.
void add_directory(const std::string& root, InputList& out) {
  std::size_t problems_before = out.problems.size();
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec);
  if (ec) {
    out.problems.push_back(root + ": " + ec.message());
    return;
  }
  for (const fs::recursive_directory_iterator end; it != end;) {
    std::error_code status_ec;
    if (it->is_regular_file(status_ec)) {
      std::string path = it->path().string();
      if (::access(path.c_str(), R_OK) == 0) {
        found.push_back(std::move(path));
      } else {
        out.problems.push_back(path + ": " + std::strerror(errno));
      }
    }
    std::string current = it->path().string();
    it.increment(ec);
    if (ec) {
      out.problems.push_back(current + ": " + ec.message());
      break;
    }
  }
  if (found.empty() && out.problems.size() == problems_before) out.problems.push_back("no files under " + root);
  std::sort(found.begin(), found.end());
  out.paths.insert(out.paths.end(), found.begin(), found.end());
}

void add_path(const std::string& path, InputList& out) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    out.problems.push_back(path + ": " + reason(ec));
  } else if (fs::is_directory(status)) {
    add_directory(path, out);
  } else if (::access(path.c_str(), R_OK) != 0) {
    out.problems.push_back(path + ": " + std::strerror(errno));
  } else {
    out.paths.push_back(path);
  }
}

}  // namespace

InputList expand_inputs(const std::vector<std::string>& paths) {
  InputList out;
  if (paths.empty()) out.paths.emplace_back("-");
  for (const std::string& path : paths) {
    if (path == "-") {
      out.paths.push_back(path);
    } else {
      add_path(path, out);
    }
  }
  return out;
}

}  // namespace kubeblame::io
