// write_all: everything reaches the reader; a reader that went away is kClosed, not a failure.
#include "kubeblame/io/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <thread>

namespace kubeblame::io {
namespace {

TEST_CASE("write_all writes more than a pipe buffer in full", "[io]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string data;
  for (int i = 0; i < 50000; ++i) data += "line " + std::to_string(i) + "\n";
  std::string received;
  std::thread reader([&] {
    char buffer[1000];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof(buffer))) > 0;) {
      received.append(buffer, static_cast<std::size_t>(n));
    }
  });
  WriteResult result = write_all(fds[1], data);
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  REQUIRE(result == WriteResult::kOk);
  REQUIRE(received == data);
}

TEST_CASE("write_all reports a closed pipe as kClosed", "[io]") {
  auto previous = std::signal(SIGPIPE, SIG_IGN);  // as main() does
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  REQUIRE(write_all(fds[1], "nobody reads this\n") == WriteResult::kClosed);
  ::close(fds[1]);
  std::signal(SIGPIPE, previous);
}

TEST_CASE("write_all reports other errors as kFailed and writes nothing for empty data", "[io]") {
  REQUIRE(write_all(-1, "x") == WriteResult::kFailed);
  REQUIRE(write_all(-1, "") == WriteResult::kOk);
}

}  // namespace
}  // namespace kubeblame::io
