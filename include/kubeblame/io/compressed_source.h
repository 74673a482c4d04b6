// The part gzip and zstd decompression share: the compressed input buffer and its offset, zero
// padding between members or frames, and the damage rule. On damage (a cut stream, a corrupt
// block, trailing bytes that are not the format) everything decompressed before the damage is
// returned first and the IoError comes on the next read, and on every read after it, so the
// records before the damage still count.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::io {

// Compressed bytes asked of the input per read.
constexpr std::size_t kCompressedReadSize = std::size_t{256} * 1024;

class CompressedSource : public ByteSource {
 public:
  std::size_t read(char* buffer, std::size_t capacity) final;

 protected:
  // `start_offset`: where `compressed` starts in the input (byte offsets in messages).
  CompressedSource(std::unique_ptr<ByteSource> compressed, std::string name,
                   std::uint64_t start_offset = 0);

  // Fills buffer[0, capacity) as far as the input goes, adding to produced_; sets finished_ at
  // the clean end of the input. Throws IoError on damage.
  virtual void decode_into(char* buffer, std::size_t capacity) = 0;

  // Reads the next block of compressed input into in_/in_size_; false at its end.
  bool refill();
  // Between members or frames: skips zero bytes (refilling as needed) and returns true when
  // another byte follows; at the end of the input sets finished_ and returns false.
  bool skip_zero_padding();
  // Offset in the compressed input of the next byte not consumed.
  std::uint64_t offset() const { return compressed_bytes_ - in_size_; }

  const std::string& name() const { return name_; }

  const unsigned char* in_ = nullptr;
  std::size_t in_size_ = 0;
  std::size_t produced_ = 0;  // bytes written by the current read()
  bool finished_ = false;

 private:
  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<char> input_;
  std::uint64_t compressed_bytes_ = 0;
  std::optional<std::string> error_;
};

}  // namespace kubeblame::io
