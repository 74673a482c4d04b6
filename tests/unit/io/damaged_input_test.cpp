// Damaged input never costs the data before the damage: a cut or corrupt gzip stream, trailing
// bytes after the last gzip member and a failing read all hand out what came before, then raise
// one IoError with a clear message. Zero padding after gzip data is not damage. Unreadable files
// and directories are errors, never silently skipped.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/inflater.h"
#include "kubeblame/io/input_list.h"
#include "kubeblame/io/line_chunker.h"
#include "piece_source.h"
#include "read_helpers.h"

namespace kubeblame::io {
namespace {

using test::ReadOutcome;
using test::read_until_error;

std::string lines(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "{\"verb\":\"get\",\"n\":" + std::to_string(i) + ",\"userAgent\":\"kubectl/v1.30\"}\n";
  }
  return text;
}

TEST_CASE("gzip: trailing bytes that are not gzip keep the data before them", "[io][hostile]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string first = lines(300);
  const std::string compressed = test::gzip(first);
  std::string path = dir.write("trail.gz", compressed + "trailing garbage");
  for (std::size_t buffer_size : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
    INFO("buffer " << buffer_size);
    auto source = open_source(path);
    ReadOutcome out = read_until_error(*source, buffer_size);
    CHECK(out.data == first);
    CHECK(out.error == path + ": unreadable gzip data at byte " + std::to_string(compressed.size()) +
                           " (not a gzip member after the end of the previous one; the data "
                           "before it was read)");
  }
}

TEST_CASE("gzip: zero padding after the last member is ignored", "[io][hostile]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string text = lines(50) + "last\n";
  std::string path = dir.write("padded.gz", test::gzip(text) + std::string(4096, '\0'));
  auto source = open_source(path);
  ReadOutcome out = read_until_error(*source, 333);
  CHECK(out.data == text);
  CHECK(out.error.empty());
  // Padding between members is skipped too.
  std::string two = dir.write("two.gz", test::gzip("a\n") + std::string(7, '\0') + test::gzip("b\n"));
  auto both = open_source(two);
  CHECK(read_until_error(*both, 1).data == "a\nb\n");
}

TEST_CASE("gzip: a cut stream hands out everything it could decompress", "[io][hostile]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string text = lines(20000);  // compresses to well over one 256 KiB input buffer
  const std::string compressed = test::gzip(text);
  std::size_t keep = compressed.size() * 3 / 4;
  std::string path = dir.write("cut.gz", compressed.substr(0, keep));
  auto source = open_source(path);
  ReadOutcome out = read_until_error(*source, 64 * 1024);
  CHECK(out.data.size() > text.size() / 2);
  CHECK(text.compare(0, out.data.size(), out.data) == 0);  // a true prefix
  CHECK(out.error == path + ": gzip data is truncated after " + std::to_string(keep) +
                         " bytes (the data before it was read)");
}

TEST_CASE("LineChunker returns the lines before a read error, then raises it", "[io][hostile]") {
  const std::string text = lines(100) + "{\"verb\":\"get\",\"n\":100,\"user";  // cut mid-line
  for (std::size_t chunk_size : {std::size_t{16}, std::size_t{1000}, std::size_t{1} << 20}) {
    INFO("chunk " << chunk_size);
    test::FailingSource source(text, 777, "disk.log: read failed: Input/output error");
    ChunkerOptions options;
    options.chunk_size = chunk_size;
    LineChunker chunker(source, options);
    Chunk chunk;
    std::string seen;
    std::string error;
    try {
      while (chunker.next(chunk)) seen.append(chunk.data.get(), chunk.size);
    } catch (const IoError& e) {
      error = e.what();
    }
    CHECK(seen == text);  // the cut line too: it is counted (as truncated) downstream
    CHECK(error == "disk.log: read failed: Input/output error");
  }
}

TEST_CASE("expand_inputs names unreadable files and directories", "[io][hostile]") {
  if (::geteuid() == 0) {
    WARN("running as root: permissions do not apply (tests/e2e/test_exit_codes.sh covers this)");
    return;
  }
  test::TempDir dir;
  dir.write("logs/ok.log", "{}\n");
  std::string secret = dir.write("logs/sub/secret.log", "{}\n");
  ::chmod(secret.c_str(), 0);
  std::string root = (dir.path() / "logs").string();
  CHECK(expand_inputs({root}).problems == std::vector<std::string>{secret + ": Permission denied"});
  ::chmod(secret.c_str(), 0644);
  std::string sub = (dir.path() / "logs" / "sub").string();
  ::chmod(sub.c_str(), 0);
  REQUIRE(expand_inputs({root}).problems.size() == 1);
  CHECK_THAT(expand_inputs({root}).problems[0], Catch::Contains("sub: Permission denied"));
  ::chmod(sub.c_str(), 0755);
}

}  // namespace
}  // namespace kubeblame::io
