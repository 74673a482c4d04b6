// Spooling stdin. The file is unlinked right after mkstemp and reopened through /proc/self/fd,
// which (unlike a named file deleted in a destructor) also holds on a crash or a kill.
#include "kubeblame/io/stdin_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/output.h"

namespace kubeblame::io {

namespace {

std::string temp_dir() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && dir[0] != '\0' ? std::string(dir) : std::string("/tmp");
}

}  // namespace

StdinSpool::StdinSpool() {
  std::string name = temp_dir() + "/kubeblame-stdin-XXXXXX";
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0)
    throw IoError("cannot create a temporary file to spool stdin in " + temp_dir() + ": " +
                  std::strerror(errno));
  ::unlink(name.c_str());
  path_ = "/proc/self/fd/" + std::to_string(fd_);
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd_);
      throw IoError(std::string("<stdin>: read failed: ") + std::strerror(error));
    }
    if (n == 0) break;
    if (write_all(fd_, {buffer.data(), static_cast<std::size_t>(n)}) != WriteResult::kOk) {
      int error = errno;
      ::close(fd_);
      throw IoError("cannot spool stdin to " + temp_dir() + ": " + std::strerror(error));
    }
    bytes_ += static_cast<std::uint64_t>(n);
  }
}

StdinSpool::~StdinSpool() { ::close(fd_); }

}  // namespace kubeblame::io
