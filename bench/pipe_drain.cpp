// kubeblame-pipe-drain: reads stdin exactly as kubeblame does (the pipe widened to 1 MiB, reads
// of up to 1 MiB) and throws the bytes away. bench/run.sh times `cat file | kubeblame-pipe-drain`
// to show what the pipe alone costs, the floor under `cat file | kubeblame`.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

int main() {
  ::fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1 << 20);  // as io::open_source("-")
  std::vector<char> buffer(1 << 20);
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n > 0) {
      total += static_cast<unsigned long long>(n);
      continue;
    }
    if (n == 0) break;
    if (errno == EINTR) continue;
    std::fprintf(stderr, "kubeblame-pipe-drain: read failed: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("%llu\n", total);
  return 0;
}
