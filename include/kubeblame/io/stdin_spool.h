// Copies stdin into a temporary file so that one run can read it twice: relative --since/--until
// need the input's last record time before the real pass.
#pragma once

#include <cstdint>
#include <string>

namespace kubeblame::io {

class StdinSpool {
 public:
  // Creates the file in $TMPDIR (default /tmp) and removes its name at once, so nothing is left
  // behind whatever happens to the process; the data stays reachable through path() while this
  // object lives. Throws IoError (reading stdin, creating or writing the file).
  StdinSpool();
  ~StdinSpool();
  StdinSpool(const StdinSpool&) = delete;
  StdinSpool& operator=(const StdinSpool&) = delete;

  // A path that opens the spooled copy from the start ("/proc/self/fd/N").
  const std::string& path() const { return path_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  int fd_ = -1;
  std::string path_;
  std::uint64_t bytes_ = 0;
};

}  // namespace kubeblame::io
