// A HyperLogLog distinct-count sketch over 64-bit hashes. Used where the exact set of keys is
// no longer held (a GroupTable past --max-groups): the registers depend only on the set of hashes
// added, never on the order or on how the input was split between workers, so the estimate is
// the same for any thread count and chunk size.
#pragma once

#include <cstdint>
#include <vector>

namespace kubeblame::analyze {

class DistinctSketch {
 public:
  // 2^kPrecision one-byte registers (64 KiB, only once a table folds): standard error about
  // 1.04 / sqrt(2^16) = 0.4%.
  static constexpr unsigned kPrecision = 16;
  static constexpr std::size_t kRegisters = std::size_t{1} << kPrecision;

  // Registers are allocated on the first add() or merge(); an unused sketch costs nothing.
  void add(std::uint64_t hash);
  void merge(const DistinctSketch& other);
  bool empty() const { return registers_.empty(); }
  // Estimated number of distinct hashes added (linear counting for small sets).
  std::uint64_t estimate() const;
  std::size_t memory_bytes() const { return registers_.capacity(); }

 private:
  std::vector<std::uint8_t> registers_;
};

}  // namespace kubeblame::analyze
