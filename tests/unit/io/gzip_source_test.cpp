// Gzip: single and concatenated members through open_source (detected by magic bytes, not by
// name), read at awkward sizes; truncated and corrupt streams raise IoError.
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/inflater.h"
#include "piece_source.h"
#include "read_helpers.h"

namespace kubeblame::io {
namespace {

using test::read_all;

std::string gzip(const std::string& text) {
  std::string out = test::gzip(text);
  REQUIRE(out.size() > 18);  // header + trailer at least
  return out;
}

std::string sample_text() {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "{\"verb\":\"get\",\"n\":" + std::to_string(i) + ",\"userAgent\":\"kubectl/v1.30\"}\n";
  }
  return text;
}

TEST_CASE("open_source reads a gzip file by its magic bytes", "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string text = sample_text();
  std::string path = dir.write("audit.log", gzip(text));  // no .gz suffix on purpose
  for (std::size_t buffer_size : {1, 7, 4096, 1 << 20}) {
    auto source = open_source(path);
    REQUIRE(source->encoding() == "gzip");
    REQUIRE(source->peek(10) == std::string_view(text).substr(0, 10));
    INFO("buffer " << buffer_size);
    REQUIRE(read_all(*source, buffer_size) == text);
  }
}

TEST_CASE("open_source reads concatenated gzip members in sequence", "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string first = "first member line 1\nfirst member line 2\n";
  const std::string second = sample_text();
  const std::string third = "third\n";
  std::string path = dir.write("rotated.gz", gzip(first) + gzip(second) + gzip(third));
  auto source = open_source(path);
  REQUIRE(read_all(*source, 3) == first + second + third);
}

TEST_CASE("open_source passes plain files through untouched", "[io]") {
  test::TempDir dir;
  std::string path = dir.write("plain.gz", "\x1f not gzip, one magic byte only\n");
  auto source = open_source(path);
  REQUIRE(source->encoding().empty());
  REQUIRE(read_all(*source, 5) == "\x1f not gzip, one magic byte only\n");

  std::string empty = dir.write("empty.log", "");
  auto empty_source = open_source(empty);
  REQUIRE(empty_source->encoding().empty());
  REQUIRE(read_all(*empty_source, 16).empty());
}

TEST_CASE("A truncated gzip stream raises IoError naming the file", "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  std::string compressed = gzip(sample_text());
  for (std::size_t keep : {std::size_t{11}, compressed.size() / 2, compressed.size() - 4}) {
    std::string path = dir.write("cut.gz", compressed.substr(0, keep));
    auto source = open_source(path);
    INFO("kept " << keep << " of " << compressed.size() << " bytes");
    try {
      read_all(*source, 4096);
      FAIL("no IoError");
    } catch (const IoError& error) {
      std::string message = error.what();
      REQUIRE(message.find("truncated") != std::string::npos);
      REQUIRE(message.find("cut.gz") != std::string::npos);
    }
  }
}

TEST_CASE("Corrupt gzip data raises IoError", "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  std::string compressed = gzip(sample_text());
  compressed[compressed.size() / 2] ^= 0x55;
  compressed[compressed.size() / 2 + 1] ^= 0x55;
  auto source = make_gzip_source(std::make_unique<test::PieceSource>(compressed, 64), "bad.gz");
  REQUIRE(source->encoding() == "gzip");
  REQUIRE_THROWS_AS(read_all(*source, 4096), IoError);
}

TEST_CASE("make_gzip_source decompresses from a source that returns a few bytes at a time",
          "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  const std::string text = "tiny\n";
  std::string two = gzip(text) + gzip("more\n");
  for (std::size_t piece : {1, 2, 3, 5, 7}) {
    auto source = make_gzip_source(std::make_unique<test::PieceSource>(two, piece), "x");
    REQUIRE(read_all(*source, 2) == "tiny\nmore\n");
  }
}

TEST_CASE("open_source on a missing file raises IoError", "[io]") {
  test::TempDir dir;
  std::string path = (dir.path() / "missing.log").string();
  try {
    open_source(path);
    FAIL("no IoError");
  } catch (const IoError& error) {
    REQUIRE(std::string(error.what()) == path + ": No such file or directory");
  }
}

TEST_CASE("open_source inflates twice: concatenated members gzipped once more (Firehose)",
          "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  test::TempDir dir;
  const std::string first = "{\"messageType\":\"CONTROL_MESSAGE\"}";
  const std::string second = sample_text();
  std::string path = dir.write("object", gzip(gzip(first) + gzip(second)));
  auto source = open_source(path);
  CHECK(source->encoding() == "gzip");
  REQUIRE(read_all(*source, 5) == first + second);
  // Damage inside the inner layer is raised on the first read, like any damaged gzip.
  std::string inner = gzip(second);
  std::string cut_path = dir.write("cut", gzip(inner.substr(0, inner.size() / 2)));
  auto cut = open_source(cut_path);
  CHECK_THROWS_AS(read_all(*cut, 4096), IoError);
}

}  // namespace
}  // namespace kubeblame::io
