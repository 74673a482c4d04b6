// Streaming gzip decompression with zlib. Concatenated gzip members (as produced by
// `cat a.gz b.gz` or log rotation tools) are decoded one after another.
#include <zlib.h>

#include <cstring>
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
    if (finished_ || capacity == 0) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1u << 30));
    while (stream_.avail_out > 0) {
      if (stream_.avail_in == 0 && !refill()) {
        if (!at_member_boundary_) throw IoError(name_ + ": gzip data is truncated");
        finished_ = true;
        break;
      }
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        at_member_boundary_ = true;
        inflateReset(&stream_);
        continue;
      }
      if (rc == Z_BUF_ERROR) continue;  // needs more input; refill on the next turn
      if (rc != Z_OK) {
        throw IoError(name_ + ": unreadable gzip data (" +
                      (stream_.msg ? std::string(stream_.msg) : "zlib error " + std::to_string(rc)) +
                      ")");
      }
      at_member_boundary_ = false;
    }
    return capacity - stream_.avail_out;
  }

 private:
  bool refill() {
    std::size_t n = compressed_->read(input_.data(), input_.size());
    if (n == 0) return false;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
    stream_.avail_in = static_cast<uInt>(n);
    return true;
  }

  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<char> input_;
  z_stream stream_;
  bool at_member_boundary_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_gzip_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name) {
  return std::make_unique<GzipSource>(std::move(compressed), std::move(display_name));
}

}  // namespace kubeblame::io
