// Test helpers that drain a byte source: all of it, or up to its error (checking that the error
// is sticky: reading again raises it again rather than inventing an end).
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::test {

inline std::string read_all(io::ByteSource& source, std::size_t buffer_size) {
  std::string all;
  std::string buffer(buffer_size, '\0');
  for (std::size_t n; (n = source.read(buffer.data(), buffer.size())) > 0;) all.append(buffer, 0, n);
  return all;
}

struct ReadOutcome {
  std::string data;
  std::string error;  // empty: clean end of input
};

inline ReadOutcome read_until_error(io::ByteSource& source, std::size_t buffer_size) {
  ReadOutcome out;
  std::string buffer(buffer_size, '\0');
  try {
    for (std::size_t n; (n = source.read(buffer.data(), buffer.size())) > 0;) out.data.append(buffer, 0, n);
  } catch (const io::IoError& error) {
    out.error = error.what();
    CHECK_THROWS_AS(source.read(buffer.data(), buffer.size()), io::IoError);
  }
  return out;
}

}  // namespace kubeblame::test
