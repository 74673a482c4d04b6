// Path expansion: files, directories (recursive, sorted) and stdin.
#include "kubeblame/io/input_list.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::io {
namespace fs = std::filesystem;

namespace {

// Unreadable files or subdirectories are errors, not silently skipped: a report that quietly
// left out part of the logs would be wrong without saying so.
void add_directory(const std::string& root, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec);
  if (ec) throw IoError(root + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end;) {
    std::error_code status_ec;
    if (it->is_regular_file(status_ec)) {
      std::string path = it->path().string();
      if (::access(path.c_str(), R_OK) != 0) throw IoError(path + ": " + std::strerror(errno));
      found.push_back(std::move(path));
    }
    std::string current = it->path().string();
    it.increment(ec);
    if (ec) throw IoError(current + ": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  if (paths.empty()) {
    out.emplace_back("-");
    return out;
  }
  for (const std::string& path : paths) {
    if (path == "-") {
      out.push_back(path);
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      throw IoError(path + ": " + (ec ? ec.message() : std::string("No such file or directory")));
    }
    if (fs::is_directory(status)) {
      add_directory(path, out);
    } else {
      if (::access(path.c_str(), R_OK) != 0) throw IoError(path + ": " + std::strerror(errno));
      out.push_back(path);
    }
  }
  return out;
}

}  // namespace kubeblame::io
