// HyperLogLog (Flajolet et al. 2007) with 64-bit hashes, so no large-range correction is needed;
// small sets use linear counting over the empty registers (Heule et al. 2013's threshold).
#include "kubeblame/analyze/distinct_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kubeblame::analyze {

void DistinctSketch::add(std::uint64_t hash) {
  if (registers_.empty()) registers_.assign(kRegisters, 0);
  std::size_t index = hash >> (64 - kPrecision);
  std::uint64_t rest = hash << kPrecision;
  // Rank of the first set bit in the remaining 64 - p bits (1-based; all zero: 64 - p + 1).
  int rank = rest == 0 ? static_cast<int>(64 - kPrecision + 1) : std::countl_zero(rest) + 1;
  registers_[index] = std::max(registers_[index], static_cast<std::uint8_t>(rank));
}

void DistinctSketch::merge(const DistinctSketch& other) {
  if (other.registers_.empty()) return;
  if (registers_.empty()) {
    registers_ = other.registers_;
    return;
  }
  for (std::size_t i = 0; i < kRegisters; ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
}

std::uint64_t DistinctSketch::estimate() const {
  if (registers_.empty()) return 0;
  constexpr double m = static_cast<double>(kRegisters);
  double sum = 0;
  std::size_t zeros = 0;
  for (std::uint8_t r : registers_) {
    sum += std::ldexp(1.0, -static_cast<int>(r));
    if (r == 0) ++zeros;
  }
  double alpha = 0.7213 / (1.0 + 1.079 / m);
  double raw = alpha * m * m / sum;
  double linear = zeros > 0 ? m * std::log(m / static_cast<double>(zeros)) : raw;
  // Below about 11,500 keys (for p = 14) linear counting is the more accurate of the two.
  double value = zeros > 0 && linear <= 11500.0 ? linear : raw;
  return static_cast<std::uint64_t>(std::llround(value));
}

}  // namespace kubeblame::analyze
