// Gzip members inflated on helper threads: the same bytes and the same errors as the serial
// gzip source, whatever the thread count and read size, including when a member's data holds a
// byte run that looks like a member header, when a member is damaged or cut, when the input
// fails, when one member is too long to split and when a segment inflates to too much.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/inflater.h"
#include "piece_source.h"
#include "read_helpers.h"

namespace kubeblame::io {
namespace {

using test::read_until_error;
using test::ReadOutcome;

// Text that deflate shrinks only ~2x, so that members add up to several 64 KiB segments.
std::string noisy_lines(int count, std::uint32_t seed) {
  std::string text;
  std::uint32_t x = seed;
  for (int i = 0; i < count; ++i) {
    x = x * 1664525u + 1013904223u;
    text += "{\"n\":" + std::to_string(i) + ",\"id\":\"" + std::to_string(x) + "-" +
            std::to_string(x ^ 0x5bd1e995u) + "\"}\n";
  }
  return text;
}

// A gzip member with stored (uncompressed) deflate blocks: its data is `text` verbatim.
std::string stored_member(const std::string& text) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, 0, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

struct Members {
  std::string compressed;
  std::string text;
  std::vector<std::size_t> starts;  // offset of each member in `compressed`
};

Members many_members(int count) {
  Members m;
  for (int i = 0; i < count; ++i) {
    std::string text = noisy_lines(40 + i % 50, static_cast<std::uint32_t>(i));
    m.starts.push_back(m.compressed.size());
    m.compressed += test::gzip(text);
    m.text += text;
  }
  return m;
}

ReadOutcome serial(const std::string& compressed, std::size_t piece, std::size_t buffer) {
  auto source = make_gzip_source(std::make_unique<test::PieceSource>(compressed, piece), "in.gz");
  return read_until_error(*source, buffer);
}

ReadOutcome parallel(const std::string& compressed, unsigned threads, std::size_t piece,
                     std::size_t buffer) {
  auto source = make_parallel_gzip_source(std::make_unique<test::PieceSource>(compressed, piece),
                                          "in.gz", threads);
  CHECK(source->encoding() == "gzip");
  return read_until_error(*source, buffer);
}

void check_same_as_serial(const std::string& compressed) {
  for (unsigned threads : {2u, 8u}) {
    for (std::size_t piece : {std::size_t{4093}, std::size_t{1} << 20}) {
      for (std::size_t buffer : {std::size_t{1000}, std::size_t{1} << 20}) {
        INFO("threads " << threads << ", piece " << piece << ", buffer " << buffer);
        ReadOutcome want = serial(compressed, piece, buffer);
        ReadOutcome got = parallel(compressed, threads, piece, buffer);
        CHECK(got.data.size() == want.data.size());
        CHECK(got.data == want.data);
        CHECK(got.error == want.error);
      }
    }
  }
}

TEST_CASE("parallel gzip: thousands of members give the serial bytes", "[io][gzip]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  Members m = many_members(2000);
  REQUIRE(m.compressed.size() > 4 * (std::size_t{256} << 10));  // many 64 KiB segments
  ReadOutcome want = serial(m.compressed, 1 << 20, 1 << 16);
  REQUIRE(want.data == m.text);
  REQUIRE(want.error.empty());
  check_same_as_serial(m.compressed);
  // Zero padding between members and after the last one.
  std::string padded = m.compressed.substr(0, m.starts[1500]) + std::string(5, '\0') +
                       m.compressed.substr(m.starts[1500]) + std::string(300, '\0');
  REQUIRE(parallel(padded, 2, 1 << 20, 1 << 16).data == m.text);
  check_same_as_serial(padded);
}

TEST_CASE("parallel gzip: header look-alikes inside a member never cut it", "[io][gzip]") {
  // A stored member whose data is gzip members: valid headers every few KiB inside it.
  Members inner = many_members(400);
  Members outer = many_members(600);
  std::string compressed = outer.compressed.substr(0, outer.starts[300]) +
                           stored_member(inner.compressed) +
                           outer.compressed.substr(outer.starts[300]);
  ReadOutcome want = serial(compressed, 1 << 20, 1 << 16);
  REQUIRE(want.error.empty());
  REQUIRE(want.data.find(inner.compressed) != std::string::npos);
  check_same_as_serial(compressed);
}

TEST_CASE("parallel gzip: damage, a cut and a read error give the serial data and message",
          "[io][gzip][hostile]") {
  const GzipBackend backend = GENERATE(GzipBackend::kIsal, GzipBackend::kZlib);
  set_gzip_backend(backend);
  INFO("gzip backend " << gzip_backend_name(backend));
  Members m = many_members(2000);
  std::string corrupt = m.compressed;
  std::size_t middle = m.starts[1200] + 40;
  corrupt[middle] ^= 0x55;
  corrupt[middle + 1] ^= 0x55;
  ReadOutcome want = serial(corrupt, 1 << 20, 1 << 16);
  REQUIRE(!want.error.empty());
  REQUIRE(want.data.size() >= m.text.size() / 2);
  check_same_as_serial(corrupt);

  std::string cut = m.compressed.substr(0, m.starts[1700] + 100);
  REQUIRE(serial(cut, 1 << 20, 1 << 16).error == "in.gz: gzip data is truncated after " +
                                                     std::to_string(cut.size()) +
                                                     " bytes (the data before it was read)");
  check_same_as_serial(cut);

  std::string trailing = m.compressed + "trailing garbage";
  REQUIRE(
      serial(trailing, 1 << 20, 1 << 16).error ==
      "in.gz: unreadable gzip data at byte " + std::to_string(m.compressed.size()) +
          " (not a gzip member after the end of the previous one; the data before it was read)");
  check_same_as_serial(trailing);

  for (std::size_t at : {m.starts[900], m.starts[900] + 7}) {
    INFO("read error after byte " << at);
    auto source = make_parallel_gzip_source(
        std::make_unique<test::FailingSource>(m.compressed.substr(0, at), 65536, "disk: EIO"), "x",
        2);
    ReadOutcome got = read_until_error(*source, 4096);
    auto plain = make_gzip_source(
        std::make_unique<test::FailingSource>(m.compressed.substr(0, at), 65536, "disk: EIO"), "x");
    ReadOutcome expected = read_until_error(*plain, 4096);
    CHECK(got.error == "disk: EIO");
    CHECK(got.data == expected.data);
    CHECK(got.error == expected.error);
  }
}

TEST_CASE("parallel gzip: one long member, and members inflating to a lot, go serial",
          "[io][gzip]") {
  std::string long_text = noisy_lines(110000, 7);  // one member of several MiB compressed
  std::string long_member = stored_member(long_text);
  REQUIRE(long_member.size() > (std::size_t{4} << 20));
  std::string compressed = long_member + test::gzip("after\n");
  REQUIRE(parallel(compressed, 2, 1 << 20, 1 << 16).data == long_text + "after\n");

  Members m = many_members(600);
  std::string zeros(std::size_t{20} << 20, '0');  // 20 MiB from a few KiB
  std::string bomb = test::gzip(zeros) + m.compressed;
  ReadOutcome got = parallel(bomb, 2, 1 << 20, 1 << 16);
  CHECK(got.error.empty());
  CHECK(got.data.size() == zeros.size() + m.text.size());
  CHECK(got.data == zeros + m.text);
}

TEST_CASE("open_source inflates members on helper threads when given threads (Firehose)",
          "[io][gzip]") {
  test::TempDir dir;
  Members m = many_members(1500);
  std::string path = dir.write("object", test::gzip(m.compressed));
  for (unsigned threads : {1u, 2u, 4u}) {
    INFO("threads " << threads);
    auto source = open_source(path, nullptr, threads);
    CHECK(source->encoding() == "gzip");
    CHECK(test::read_all(*source, 65536) == m.text);
  }
}

}  // namespace
}  // namespace kubeblame::io
