// The shared half of the gzip and zstd sources (see compressed_source.h).
#include "kubeblame/io/compressed_source.h"

namespace kubeblame::io {

CompressedSource::CompressedSource(std::unique_ptr<ByteSource> compressed, std::string name,
                                   std::uint64_t start_offset)
    : compressed_(std::move(compressed)),
      name_(std::move(name)),
      input_(kCompressedReadSize),
      compressed_bytes_(start_offset) {}

std::size_t CompressedSource::read(char* buffer, std::size_t capacity) {
  if (error_) throw IoError(*error_);
  if (finished_ || capacity == 0) return 0;
  produced_ = 0;
  try {
    decode_into(buffer, capacity);
  } catch (const IoError& error) {
    error_ = error.what();  // raised again by every later read
    if (produced_ == 0) throw;
    // otherwise, hand out what was decompressed first
  }
  return produced_;
}

bool CompressedSource::refill() {
  std::size_t n = compressed_->read(input_.data(), input_.size());
  if (n == 0) return false;
  compressed_bytes_ += n;
  in_ = reinterpret_cast<const unsigned char*>(input_.data());
  in_size_ = n;
  return true;
}

bool CompressedSource::skip_zero_padding() {
  while (true) {
    while (in_size_ > 0 && *in_ == 0) {
      ++in_;
      --in_size_;
    }
    if (in_size_ > 0) return true;
    if (!refill()) {
      finished_ = true;
      return false;
    }
  }
}

}  // namespace kubeblame::io
