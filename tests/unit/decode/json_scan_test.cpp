// scan_value_end: the 64-byte block scan must find the same end, line count and carried state as
// a byte-at-a-time reference, for any input and any way of splitting it into calls.
#include "kubeblame/decode/json_scan.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>

namespace kubeblame::decode {
namespace {

struct Reference {
  std::size_t end = std::string::npos;  // offset of the closing bracket
  std::uint64_t newlines = 0;            // before it
};

// Byte at a time: a backslash escapes the next byte, in strings or not, as the block scan does
// (an escaped byte starts no escape and toggles no string; an escaped bracket outside a string,
// which valid JSON never has, still counts); unescaped quotes toggle strings; brackets outside
// strings count.
Reference reference_end(const std::string& text, int depth) {
  Reference ref;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool was_escaped = escaped;
    escaped = !was_escaped && c == '\\';
    if (c == '"' && !was_escaped) {
      in_string = !in_string;
    } else if (!in_string && (c == '{' || c == '[')) {
      ++depth;
    } else if (!in_string && (c == '}' || c == ']') && --depth == 0) {
      ref.end = i;
      return ref;
    }
    if (c == '\n') ++ref.newlines;
  }
  return ref;
}

// Scans `text` in calls of the given sizes (cycled), as the framer does across buffers.
Reference block_end(const std::string& text, int depth, const std::vector<std::size_t>& sizes) {
  ValueScan scan;
  scan.depth = depth;
  std::size_t at = 0;
  for (std::size_t k = 0; at < text.size(); ++k) {
    std::size_t n = std::min(sizes[k % sizes.size()], text.size() - at);
    std::size_t end = scan_value_end(text.data() + at, n, scan);
    if (end < n) return Reference{at + end, scan.newlines};
    at += n;
  }
  return Reference{std::string::npos, scan.newlines};
}

TEST_CASE("scan_value_end finds the closing bracket of a pretty-printed row", "[decode][json_scan]") {
  std::string row =
      "{\n  \"AuditId\": \"a\",\n  \"ObjectRef\": \"{\\\"resource\\\":\\\"pods\\\"}\",\n"
      "  \"RequestObject\": \"]}]} not brackets \\\\\",\n  \"n\": [1, {\"x\": [2]}]\n},\n{\"next\": 1}";
  ValueScan scan;
  scan.depth = 1;
  std::size_t end = scan_value_end(row.data() + 1, row.size() - 1, scan);
  CHECK(end + 1 == row.find("},\n{"));
  CHECK(scan.newlines == 5);
  CHECK(scan.depth == 0);
}

TEST_CASE("scan_value_end carries strings, escapes and depth across calls", "[decode][json_scan]") {
  // Every split point of a value whose strings hold brackets, quotes and backslash runs.
  std::string text = R"("a\\\"}]" , {"b": "\\", "c": ["}\\\\\"]"]}, "\\\\"} tail)";
  Reference want = reference_end(text, 1);
  REQUIRE(want.end == text.find("} tail"));
  for (std::size_t split = 0; split <= text.size(); ++split) {
    INFO("split " << split);
    std::vector<std::size_t> sizes{split == 0 ? text.size() : split, text.size()};
    Reference got = block_end(text, 1, sizes);
    CHECK(got.end == want.end);
  }
}

// Up to 400 bytes drawn from `alphabet`.
std::string random_text(std::mt19937& rng, const std::string& alphabet) {
  std::size_t length = std::uniform_int_distribution<std::size_t>(0, 400)(rng);
  std::string text;
  for (std::size_t i = 0; i < length; ++i) {
    text += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
  }
  return text;
}

TEST_CASE("scan_value_end agrees with a byte-at-a-time scan on random input", "[decode][json_scan]") {
  std::mt19937 rng(20261207);
  const std::string alphabet = "{}[]\"\\\\\\\"\"  \n\nab:,";
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = random_text(rng, alphabet);
    int depth = std::uniform_int_distribution<int>(1, 4)(rng);
    std::vector<std::size_t> sizes;
    for (int k = 0; k < 4; ++k) sizes.push_back(std::uniform_int_distribution<std::size_t>(1, 150)(rng));
    Reference want = reference_end(text, depth);
    Reference got = block_end(text, depth, sizes);
    INFO("trial " << trial << " text [" << text << "]");
    REQUIRE(got.end == want.end);
    REQUIRE(got.newlines == want.newlines);
  }
}

// Scans as block_end does, with an output: the copies of every call, put together.
struct Copied {
  std::size_t end = std::string::npos;
  std::string text;
};
Copied block_copy(const std::string& text, int depth, const std::vector<std::size_t>& sizes) {
  ValueScan scan;
  scan.depth = depth;
  Copied got;
  std::size_t at = 0;
  for (std::size_t k = 0; at < text.size(); ++k) {
    std::size_t n = std::min(sizes[k % sizes.size()], text.size() - at);
    // Whatever was in the output before must not matter: fill it with a byte the input lacks.
    std::string out(n + kScanOutSlack, '#');
    std::size_t end = scan_value_end(text.data() + at, n, scan, out.data());
    got.text.append(out, 0, end);
    if (end < n) {
      got.end = at + end;
      return got;
    }
    at += n;
  }
  return got;
}

std::string flattened(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

TEST_CASE("scan_value_end copies what it scans, line breaks flattened", "[decode][json_scan]") {
  std::string row = "{\r\n  \"a\": \"x\\\"}\",\n  \"b\": [1,\n 2]\n}\n, {\"next\": 1}";
  for (std::size_t split = 1; split <= row.size(); ++split) {
    INFO("split " << split);
    Copied got = block_copy(row.substr(1), 1, {split});
    REQUIRE(got.end + 1 == row.find("}\n,"));
    CHECK(got.text == flattened(row.substr(1, got.end)));
  }
}

TEST_CASE("scan_value_end's copy agrees with a byte-at-a-time scan on random input",
          "[decode][json_scan]") {
  std::mt19937 rng(20261208);
  const std::string alphabet = "{}[]\"\\\\\\\"\"  \n\r\nab:,";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text = random_text(rng, alphabet);
    int depth = std::uniform_int_distribution<int>(1, 4)(rng);
    std::vector<std::size_t> sizes;
    for (int k = 0; k < 4; ++k)
      sizes.push_back(std::uniform_int_distribution<std::size_t>(1, 150)(rng));
    Reference want = reference_end(text, depth);
    Copied got = block_copy(text, depth, sizes);
    INFO("trial " << trial << " text [" << text << "]");
    REQUIRE(got.end == want.end);
    REQUIRE(got.text == flattened(text.substr(0, std::min(want.end, text.size()))));
  }
}

}  // namespace
}  // namespace kubeblame::decode
