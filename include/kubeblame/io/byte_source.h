// Byte sources: a file or stdin, transparently decompressed when it starts with the gzip or zstd
// magic.
// Knows nothing about lines or JSON; the chunker and the sniffers sit on top.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kubeblame::io {

// A blocking stream of bytes. read() returns the number of bytes read, 0 at end of input,
// and throws IoError on failure.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
  // Compressed inputs report their name here ("gzip", "zstd"); plain ones return "".
  virtual std::string_view encoding() const { return {}; }
};

class IoError : public std::exception {
 public:
  explicit IoError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// Wraps a source so that its first bytes can be inspected before anything is consumed.
class PeekableSource : public ByteSource {
 public:
  explicit PeekableSource(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)) {}
  // Returns up to `size` first bytes (fewer only at end of input, or before a read error, which
  // read() then throws once the peeked bytes are consumed). Only valid before read().
  std::string_view peek(std::size_t size);
  std::size_t read(char* buffer, std::size_t capacity) override;
  std::string_view encoding() const override { return inner_->encoding(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::vector<char> prefix_;
  std::size_t prefix_pos_ = 0;
  std::optional<std::string> error_;  // a read error met while peeking, after some data
};

// Opens a path ("-" is stdin); gzip and zstd are detected from the magic bytes, not the name.
// Bytes read from the file itself (compressed, for gzip and zstd) are added to `bytes_read` when
// given (progress). With `threads` > 1, gzip members are inflated on that many helper threads
// (make_parallel_gzip_source).
std::unique_ptr<PeekableSource> open_source(const std::string& path,
                                            std::atomic<std::uint64_t>* bytes_read = nullptr,
                                            unsigned threads = 1);

// Gzip decompression over any source; concatenated members are read in sequence.
// `start_offset`: where `compressed` starts in the input, for the byte offsets in messages.
std::unique_ptr<ByteSource> make_gzip_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name,
                                             std::uint64_t start_offset = 0);

// The same bytes and errors as make_gzip_source, with runs of whole members inflated on
// `threads` helper threads (Firehose objects: a member per record batch); a single long member
// is inflated serially. `threads` <= 1: make_gzip_source.
std::unique_ptr<ByteSource> make_parallel_gzip_source(std::unique_ptr<ByteSource> compressed,
                                                      std::string display_name, unsigned threads);

// Zstd decompression over any source; concatenated (and skippable) frames are read in sequence.
std::unique_ptr<ByteSource> make_zstd_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name);

}  // namespace kubeblame::io
