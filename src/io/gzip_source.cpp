// Streaming gzip decompression with zlib. Concatenated gzip members (as produced by
// `cat a.gz b.gz` or log rotation tools) are decoded one after another; zero padding after the
// last member (tape and block-device copies) is ignored. On damage (a cut stream, a corrupt
// block, trailing bytes that are not gzip) everything decompressed before the damage is
// returned first and the IoError comes on the next read, so the records before it still count.
#include <zlib.h>

#include <cstring>
#include <optional>
#include <vector>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::io {
namespace {

constexpr std::size_t kCompressedBufferSize = 256 * 1024;

class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)), input_(kCompressedBufferSize) {
    std::memset(&stream_, 0, sizeof(stream_));
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {
      throw IoError(name_ + ": cannot initialise zlib");
    }
  }
  ~GzipSource() override { inflateEnd(&stream_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::string_view encoding() const override { return "gzip"; }

  std::size_t read(char* buffer, std::size_t capacity) override {
    if (error_) throw IoError(*error_);
    if (finished_ || capacity == 0) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1u << 30));
    try {
      inflate_into_buffer();
    } catch (const IoError& error) {
      std::size_t produced = capacity - stream_.avail_out;
      if (produced == 0) throw;
      error_ = error.what();  // hand out what was decompressed first
      return produced;
    }
    return capacity - stream_.avail_out;
  }

 private:
  void inflate_into_buffer() {
    while (stream_.avail_out > 0) {
      if (stream_.avail_in == 0 && !refill()) {
        if (!at_member_boundary_) {
          throw IoError(name_ + ": gzip data is truncated after " + std::to_string(offset()) +
                        " bytes (the data before it was read)");
        }
        finished_ = true;
        return;
      }
      if (at_member_boundary_ && !at_next_member()) return;
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        at_member_boundary_ = true;
        inflateReset(&stream_);
        continue;
      }
      if (rc == Z_BUF_ERROR) continue;  // needs more input; refill on the next turn
      if (rc != Z_OK) {
        throw IoError(name_ + ": unreadable gzip data at byte " + std::to_string(offset()) + " (" +
                      (stream_.msg ? std::string(stream_.msg) : "zlib error " + std::to_string(rc)) +
                      "; the data before it was read)");
      }
      at_member_boundary_ = false;
    }
  }

  // Between members: true when another member starts here. Zero padding up to the end of the
  // input is skipped (and finishes the stream); any other byte is an error.
  bool at_next_member() {
    while (true) {
      while (stream_.avail_in > 0 && *stream_.next_in == 0) {
        ++stream_.next_in;
        --stream_.avail_in;
      }
      if (stream_.avail_in > 0) break;
      if (!refill()) {
        finished_ = true;
        return false;
      }
    }
    if (*stream_.next_in != 0x1f) {
      throw IoError(name_ + ": unreadable gzip data at byte " + std::to_string(offset()) +
                    " (not a gzip member after the end of the previous one; the data before it "
                    "was read)");
    }
    return true;
  }

  bool refill() {
    std::size_t n = compressed_->read(input_.data(), input_.size());
    if (n == 0) return false;
    compressed_bytes_ += n;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
    stream_.avail_in = static_cast<uInt>(n);
    return true;
  }

  // Offset in the compressed input of the next byte zlib has not consumed.
  std::uint64_t offset() const { return compressed_bytes_ - stream_.avail_in; }

  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<char> input_;
  z_stream stream_;
  std::uint64_t compressed_bytes_ = 0;
  bool at_member_boundary_ = false;
  bool finished_ = false;
  std::optional<std::string> error_;
};

}  // namespace

std::unique_ptr<ByteSource> make_gzip_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name) {
  return std::make_unique<GzipSource>(std::move(compressed), std::move(display_name));
}

}  // namespace kubeblame::io
