// Zstd: frames built in memory with libzstd, read through open_source (detected by magic bytes,
// not by name) and make_zstd_source at awkward read sizes. Concatenated, empty and skippable
// frames; damage (a cut stream, a corrupt block, a bad checksum, trailing bytes, a failing read)
// hands out exactly the data before it, then one IoError with the file and the byte offset.
#include <zstd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <string>
#include <vector>

#include "kubeblame/io/byte_source.h"
#include "piece_source.h"
#include "read_helpers.h"

namespace kubeblame::io {
namespace {

using test::read_all;
using test::ReadOutcome;
using test::read_until_error;

struct ZstdFrame {
  std::string bytes;
  // Where each piece's block ends in `bytes` (every piece is flushed into its own block(s)).
  std::vector<std::size_t> piece_ends;
};

// One zstd frame holding the pieces in sequence; no pieces makes an empty frame.
ZstdFrame zstd_frame(const std::vector<std::string>& pieces, bool checksum = false) {
  ZstdFrame frame;
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  REQUIRE(cctx != nullptr);
  REQUIRE_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3)));
  REQUIRE_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0)));
  std::vector<char> buffer(ZSTD_CStreamOutSize());
  auto push = [&](const std::string& piece, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{piece.data(), piece.size(), 0};
    std::size_t remaining = 0;
    do {
      ZSTD_outBuffer out{buffer.data(), buffer.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &out, &in, mode);
      REQUIRE_FALSE(ZSTD_isError(remaining));
      frame.bytes.append(buffer.data(), out.pos);
    } while (remaining != 0 || in.pos < in.size);
    frame.piece_ends.push_back(frame.bytes.size());
  };
  for (const std::string& piece : pieces) push(piece, ZSTD_e_flush);
  push("", ZSTD_e_end);
  frame.piece_ends.pop_back();
  ZSTD_freeCCtx(cctx);
  return frame;
}

std::string zstd(const std::string& text) { return zstd_frame({text}).bytes; }

// A skippable frame (magic 0x184D2A50 + variant, little-endian size, then the payload).
std::string skippable(unsigned variant, const std::string& payload) {
  std::string frame = {static_cast<char>(0x50 + variant), 0x2a, 0x4d, 0x18};
  for (int shift = 0; shift < 32; shift += 8) frame += static_cast<char>((payload.size() >> shift) & 0xff);
  return frame + payload;
}

std::string lines(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    text += "{\"verb\":\"get\",\"n\":" + std::to_string(i) + ",\"userAgent\":\"kubectl/v1.30\"}\n";
  }
  return text;
}

// Lines that compress poorly, so that the compressed data spans several input buffers.
std::string noisy_lines(std::size_t bytes) {
  std::mt19937_64 random(42);
  std::string text;
  while (text.size() < bytes) {
    text += "{\"verb\":\"list\",\"uid\":\"" + std::to_string(random()) + std::to_string(random()) + "\"}\n";
  }
  return text;
}

TEST_CASE("zstd: open_source reads a zstd file by its magic bytes", "[io][zstd]") {
  test::TempDir dir;
  const std::string text = lines(0, 2000);
  const std::string compressed = zstd(text);
  std::string path = dir.write("audit.log", compressed);  // no .zst suffix on purpose
  for (std::size_t buffer_size : {1, 7, 4096, 1 << 20}) {
    INFO("buffer " << buffer_size);
    std::atomic<std::uint64_t> bytes_read{0};
    auto source = open_source(path, &bytes_read);
    REQUIRE(source->encoding() == "zstd");
    REQUIRE(source->peek(10) == std::string_view(text).substr(0, 10));
    REQUIRE(read_all(*source, buffer_size) == text);
    CHECK(bytes_read.load() == compressed.size());  // progress counts compressed bytes
  }
}

TEST_CASE("zstd: concatenated, empty and skippable frames are read in sequence", "[io][zstd]") {
  test::TempDir dir;
  const std::string first = "first frame line 1\nfirst frame line 2\n";
  const std::string second = lines(0, 2000);
  const std::string third = "third\n";
  const std::string file = zstd(first) + zstd_frame({}).bytes + skippable(0, "metadata") + zstd(second) +
                           skippable(15, "") + zstd(third);
  std::string path = dir.write("rotated.zst", file);
  for (std::size_t buffer_size : {1, 3, 4096}) {
    INFO("buffer " << buffer_size);
    auto source = open_source(path);
    REQUIRE(source->encoding() == "zstd");
    ReadOutcome out = read_until_error(*source, buffer_size);
    CHECK(out.data == first + second + third);
    CHECK(out.error.empty());
  }
  // A skippable frame may start the file; an empty frame alone is empty input.
  std::string leading = dir.write("leading.zst", skippable(7, "comment") + zstd(third));
  auto leading_source = open_source(leading);
  REQUIRE(leading_source->encoding() == "zstd");
  CHECK(read_all(*leading_source, 5) == third);
  std::string empty = dir.write("empty.zst", zstd_frame({}).bytes);
  auto empty_source = open_source(empty);
  REQUIRE(empty_source->encoding() == "zstd");
  CHECK(read_all(*empty_source, 16).empty());
}

TEST_CASE("zstd: large data handed out a few bytes at a time crosses every buffer boundary", "[io][zstd]") {
  const std::string text = noisy_lines(3 << 20);
  const std::string compressed = zstd(text);
  REQUIRE(compressed.size() > 2 * 256 * 1024);  // several of ZstdSource's input buffers
  for (std::size_t piece : {std::size_t{1000}, std::size_t{65536}, std::size_t{300000}}) {
    for (std::size_t buffer_size : {std::size_t{4093}, std::size_t{1} << 20}) {
      INFO("piece " << piece << ", buffer " << buffer_size);
      auto source = make_zstd_source(std::make_unique<test::PieceSource>(compressed, piece), "pieces");
      CHECK(read_all(*source, buffer_size) == text);
    }
  }
  // Byte by byte in and out, on a smaller input.
  const std::string small = lines(0, 300);
  auto source = make_zstd_source(std::make_unique<test::PieceSource>(zstd(small) + zstd(small), 1), "bytes");
  CHECK(read_all(*source, 1) == small + small);
}

TEST_CASE("open_source passes plain files that only look like zstd through untouched", "[io][zstd]") {
  test::TempDir dir;
  for (const std::string& text : {std::string("(\xb5/ plain text\n"), std::string("P*M plain\n"),
                                  std::string("(\xb5/")}) {
    std::string path = dir.write("plain.zst", text);
    auto source = open_source(path);
    CHECK(source->encoding().empty());
    CHECK(read_all(*source, 5) == text);
  }
}

TEST_CASE("zstd: a cut stream hands out every block before the cut", "[io][zstd][hostile]") {
  test::TempDir dir;
  std::vector<std::string> pieces;
  for (int i = 0; i < 8; ++i) pieces.push_back(lines(i * 1000, 1000));
  const ZstdFrame frame = zstd_frame(pieces);
  for (std::size_t whole : {std::size_t{0}, std::size_t{3}, std::size_t{7}}) {
    // Cut inside the block after `whole` complete pieces.
    std::size_t keep = (whole == 0 ? 0 : frame.piece_ends[whole - 1]) + 20;
    INFO("cut at " << keep);
    std::string path = dir.write("cut.zst", frame.bytes.substr(0, keep));
    std::string expected;
    for (std::size_t i = 0; i < whole; ++i) expected += pieces[i];
    for (std::size_t buffer_size : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
      INFO("buffer " << buffer_size);
      auto source = open_source(path);
      ReadOutcome out = read_until_error(*source, buffer_size);
      CHECK(out.data == expected);
      CHECK(out.error == path + ": zstd data is truncated after " + std::to_string(keep) +
                             " bytes (the data before it was read)");
    }
  }
  // Cut inside the frame header, and between a frame and the next one's header.
  std::string header = dir.write("header.zst", frame.bytes.substr(0, 5));
  auto header_source = open_source(header);
  ReadOutcome out = read_until_error(*header_source, 100);
  CHECK(out.data.empty());
  CHECK(out.error == header + ": zstd data is truncated after 5 bytes (the data before it was read)");
  const std::string one = zstd("one\n");
  std::string second = dir.write("second.zst", one + zstd("two\n").substr(0, 6));
  auto second_source = open_source(second);
  out = read_until_error(*second_source, 100);
  CHECK(out.data == "one\n");
  CHECK(out.error == second + ": zstd data is truncated after " + std::to_string(one.size() + 6) +
                         " bytes (the data before it was read)");
}

TEST_CASE("zstd: a corrupt block hands out every block before it", "[io][zstd][hostile]") {
  test::TempDir dir;
  std::vector<std::string> pieces;
  for (int i = 0; i < 6; ++i) pieces.push_back(lines(i * 1000, 1000));
  const ZstdFrame frame = zstd_frame(pieces);
  for (std::size_t whole : {std::size_t{1}, std::size_t{4}}) {
    // Block type 3 (reserved) in the header of the block after `whole` pieces.
    std::string damaged = frame.bytes;
    std::size_t at = frame.piece_ends[whole - 1];
    damaged[at] = static_cast<char>(damaged[at] | 0x06);
    std::string path = dir.write("corrupt.zst", damaged);
    std::string expected;
    for (std::size_t i = 0; i < whole; ++i) expected += pieces[i];
    for (std::size_t buffer_size : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
      INFO("block " << whole << ", buffer " << buffer_size);
      auto source = open_source(path);
      ReadOutcome out = read_until_error(*source, buffer_size);
      CHECK(out.data.size() == expected.size());
      CHECK(out.data == expected);
      CHECK(out.error == path + ": unreadable zstd data at byte " + std::to_string(at) +
                             " (Data corruption detected; the data before it was read)");
    }
  }
}

TEST_CASE("zstd: a checksum mismatch comes after the frame's data", "[io][zstd][hostile]") {
  test::TempDir dir;
  const std::string first = lines(0, 100);
  const std::string second = lines(100, 3000);
  const std::string one = zstd_frame({first}, true).bytes;
  std::string two = zstd_frame({second}, true).bytes;
  two.back() = static_cast<char>(two.back() ^ 0x01);  // the last byte of the content checksum
  std::string path = dir.write("checksum.zst", one + two);
  for (std::size_t buffer_size : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
    INFO("buffer " << buffer_size);
    auto source = open_source(path);
    ReadOutcome out = read_until_error(*source, buffer_size);
    CHECK(out.data == first + second);
    CHECK(out.error == path + ": unreadable zstd data at byte " + std::to_string(one.size() + two.size() - 4) +
                           " (Restored data doesn't match checksum; the data before it was read)");
  }
}

TEST_CASE("zstd: trailing bytes that are not zstd keep the data before them", "[io][zstd][hostile]") {
  test::TempDir dir;
  const std::string text = lines(0, 300);
  const std::string compressed = zstd(text);
  // A byte that starts no frame, and one that starts like a frame but has the wrong magic.
  for (const std::string& trailer : {std::string("trailing garbage"), std::string("(garbage")}) {
    std::string path = dir.write("trail.zst", compressed + trailer);
    for (std::size_t buffer_size : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
      INFO(trailer << ", buffer " << buffer_size);
      auto source = open_source(path);
      ReadOutcome out = read_until_error(*source, buffer_size);
      CHECK(out.data == text);
      CHECK(out.error == path + ": unreadable zstd data at byte " + std::to_string(compressed.size()) +
                             " (not a zstd frame after the end of the previous one; the data before "
                             "it was read)");
    }
  }
}

TEST_CASE("zstd: zero padding after the last frame is ignored", "[io][zstd][hostile]") {
  test::TempDir dir;
  const std::string text = lines(0, 50) + "last\n";
  std::string path = dir.write("padded.zst", zstd(text) + std::string(4096, '\0'));
  auto source = open_source(path);
  ReadOutcome out = read_until_error(*source, 333);
  CHECK(out.data == text);
  CHECK(out.error.empty());
  std::string two = dir.write("two.zst", zstd("a\n") + std::string(7, '\0') + zstd("b\n"));
  auto both = open_source(two);
  CHECK(read_until_error(*both, 1).data == "a\nb\n");
}

TEST_CASE("zstd: a read error in the compressed input comes after the data before it", "[io][zstd][hostile]") {
  const std::string first = lines(0, 500);
  const std::string second = lines(500, 500);
  const std::string compressed = zstd(first) + zstd(second);
  const std::size_t keep = zstd(first).size();
  auto source = make_zstd_source(
      std::make_unique<test::FailingSource>(compressed.substr(0, keep), 777, "disk.zst: read failed: Input/output error"),
      "disk.zst");
  ReadOutcome out = read_until_error(*source, 4096);
  CHECK(out.data == first);
  CHECK(out.error == "disk.zst: read failed: Input/output error");
}

}  // namespace
}  // namespace kubeblame::io
