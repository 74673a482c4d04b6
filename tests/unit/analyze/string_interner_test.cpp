// StringInterner: dense stable ids, one copy per string, views valid for the interner's life.
#include "kubeblame/analyze/string_interner.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace kubeblame::analyze {
namespace {

TEST_CASE("StringInterner gives equal strings one id and dense ids in order", "[analyze]") {
  StringInterner interner;
  std::string kubelet = "kubelet";
  CHECK(interner.intern("kubectl") == 0);
  CHECK(interner.intern(kubelet) == 1);
  CHECK(interner.intern("") == 2);
  CHECK(interner.intern(std::string("kubectl")) == 0);
  CHECK(interner.intern("kubelet") == 1);
  CHECK(interner.intern("") == 2);
  CHECK(interner.size() == 3);
  kubelet[0] = 'X';  // the interner keeps its own copy
  CHECK(interner.text(1) == "kubelet");
  CHECK(interner.text(2).empty());
}

TEST_CASE("hash_bytes accepts an empty view with a null data pointer", "[analyze][ubsan]") {
  // std::string_view{} has data() == nullptr; hashing it must not hand null to memcpy
  // (undefined even for 0 bytes; UBSan's nonnull-attribute check fires on it).
  std::string_view null_view;
  REQUIRE(null_view.data() == nullptr);
  CHECK(hash_bytes(null_view) == hash_bytes(std::string_view("", 0)));
  CHECK(hash_bytes(null_view) != hash_bytes("a"));
  StringInterner interner;
  CHECK(interner.intern(null_view) == 0);
  CHECK(interner.intern("") == 0);
  CHECK(interner.text(0).empty());
}

TEST_CASE("StringInterner keeps views valid while it grows", "[analyze]") {
  StringInterner interner;
  std::vector<std::string_view> views;
  const std::string long_value(70 * 1024, 'L');  // bigger than one storage block
  for (int i = 0; i < 20000; ++i) {
    std::string text = "system:serviceaccount:ns-" + std::to_string(i) + ":controller";
    auto id = static_cast<std::uint32_t>(i <= 5000 ? i : i + 1);
    REQUIRE(interner.intern(text) == id);
    views.push_back(interner.text(id));
    if (i == 5000) REQUIRE(interner.intern(long_value) == 5001u);
  }
  CHECK(interner.size() == 20001);
  for (int i = 0; i < 20000; i += 997) {
    std::string text = "system:serviceaccount:ns-" + std::to_string(i) + ":controller";
    CHECK(views[static_cast<std::size_t>(i)] == text);
    CHECK(interner.intern(text) == static_cast<std::uint32_t>(i <= 5000 ? i : i + 1));
  }
  CHECK(interner.text(5001) == long_value);
  CHECK(interner.memory_bytes() > long_value.size());
}

TEST_CASE("hash_bytes depends on every byte and the length", "[analyze]") {
  CHECK(hash_bytes("kubectl") == hash_bytes(std::string("kubectl")));
  CHECK(hash_bytes("kubectl") != hash_bytes("kubectm"));
  CHECK(hash_bytes("abcdefgh1") != hash_bytes("abcdefgh2"));
  CHECK(hash_bytes(std::string_view("a\0", 2)) != hash_bytes("a"));
  CHECK(hash_bytes("") != hash_bytes(std::string_view("\0", 1)));
}

}  // namespace
}  // namespace kubeblame::analyze

namespace kubeblame::analyze {
namespace {

// The word-at-a-time reference: every byte copied into a zeroed word. hash_bytes reads the tail
// with whole (overlapping) loads instead and must give exactly the same value.
std::uint64_t reference_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ text.size();
  for (std::size_t at = 0; at < text.size(); at += 8) {
    std::uint64_t word = 0;
    std::size_t take = std::min<std::size_t>(8, text.size() - at);
    std::memcpy(&word, text.data() + at, take);
    h = (h ^ word) * 0x100000001b3ull;
    if (take == 8) h ^= h >> 29;
  }
  if (text.size() % 8 == 0) h = h * 0x100000001b3ull;  // the zero tail word
  h ^= h >> 32;
  h *= 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

TEST_CASE("hash_bytes reads the last bytes of every length exactly", "[analyze]") {
  std::string bytes;
  for (int i = 0; i < 40; ++i) bytes.push_back(static_cast<char>(0x80 + i * 37));
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size = 0; offset + size <= bytes.size(); ++size) {
      std::string_view text(bytes.data() + offset, size);
      INFO("offset " << offset << ", size " << size);
      CHECK(hash_bytes(text) == reference_hash(text));
    }
  }
}

}  // namespace
}  // namespace kubeblame::analyze
