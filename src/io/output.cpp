// Output writing with EPIPE detection.
#include "kubeblame/io/output.h"

#include <unistd.h>

#include <cerrno>

namespace kubeblame::io {

WriteResult write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EPIPE ? WriteResult::kClosed : WriteResult::kFailed;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return WriteResult::kOk;
}

}  // namespace kubeblame::io
