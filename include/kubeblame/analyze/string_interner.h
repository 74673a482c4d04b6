// Maps strings to dense ids so group keys are small integer tuples; stores each string once.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace kubeblame::analyze {

// Open addressing over stored hashes; strings live in fixed blocks that never move, so the
// views handed out stay valid for the interner's lifetime. Looking up a known string allocates
// nothing.
class StringInterner {
 public:
  StringInterner();
  std::uint32_t intern(std::string_view text);
  // The id of `text` (whose hash_bytes is `hash`) without adding it; kNotFound when absent.
  static constexpr std::uint32_t kNotFound = 0xFFFFFFFF;
  std::uint32_t find(std::string_view text, std::uint64_t hash) const;
  std::string_view text(std::uint32_t id) const { return strings_[id]; }
  // hash_bytes(text(id)), kept from interning.
  std::uint64_t hash(std::uint32_t id) const { return hashes_[id]; }
  std::size_t size() const { return strings_.size(); }
  // Bytes held (strings, table, index), for --stats and memory bounds.
  std::size_t memory_bytes() const;

 private:
  std::string_view store(std::string_view text);
  void grow();

  std::vector<std::string_view> strings_;
  std::vector<std::uint64_t> hashes_;   // per id
  std::vector<std::uint32_t> slots_;    // id + 1, 0 = empty
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::size_t stored_bytes_ = 0;
};

std::uint64_t hash_bytes(std::string_view text);

}  // namespace kubeblame::analyze
