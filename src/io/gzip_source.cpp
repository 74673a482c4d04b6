// Streaming gzip decompression (ISA-L's igzip, or zlib; see inflater.h). Concatenated gzip
// members (as produced by `cat a.gz b.gz` or log rotation tools) are decoded one after another;
// zero padding after the last member (tape and block-device copies) is ignored. On damage (a cut
// stream, a corrupt block, trailing bytes that are not gzip) everything decompressed before the
// damage is returned first and the IoError comes on the next read, so the records before it
// still count.
#include <cstring>
#include <optional>
#include <vector>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/inflater.h"

namespace kubeblame::io {
namespace {

constexpr std::size_t kCompressedBufferSize = 256 * 1024;

class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, std::string name)
      : compressed_(std::move(compressed)),
        name_(std::move(name)),
        input_(kCompressedBufferSize),
        inflater_(make_inflater(gzip_backend())) {}

  std::string_view encoding() const override { return "gzip"; }

  std::size_t read(char* buffer, std::size_t capacity) override {
    if (error_) throw IoError(*error_);
    if (finished_ || capacity == 0) return 0;
    produced_ = 0;
    try {
      inflate_into(buffer, capacity);
    } catch (const IoError& error) {
      if (produced_ == 0) throw;
      error_ = error.what();  // hand out what was decompressed first
    }
    return produced_;
  }

 private:
  // Fills buffer[0, capacity) as far as the input goes, counting into produced_.
  void inflate_into(char* buffer, std::size_t capacity) {
    while (produced_ < capacity) {
      if (in_size_ == 0 && !refill()) {
        if (!at_member_boundary_) {
          throw IoError(name_ + ": gzip data is truncated after " + std::to_string(offset()) +
                        " bytes (the data before it was read)");
        }
        finished_ = true;
        break;
      }
      if (at_member_boundary_ && !at_next_member()) break;
      std::size_t produced = 0;
      std::string message;
      Inflater::Status status =
          inflater_->inflate(in_, in_size_, buffer + produced_, capacity - produced_, produced, message);
      produced_ += produced;
      if (status == Inflater::Status::kError) {
        throw IoError(name_ + ": unreadable gzip data at byte " + std::to_string(offset()) + " (" +
                      message + "; the data before it was read)");
      }
      if (status == Inflater::Status::kMemberEnd) {
        at_member_boundary_ = true;
        inflater_->reset();
        continue;
      }
      at_member_boundary_ = false;
    }
  }

  // Between members: true when another member starts here. Zero padding up to the end of the
  // input is skipped (and finishes the stream); any other byte is an error.
  bool at_next_member() {
    while (true) {
      while (in_size_ > 0 && *in_ == 0) {
        ++in_;
        --in_size_;
      }
      if (in_size_ > 0) break;
      if (!refill()) {
        finished_ = true;
        return false;
      }
    }
    if (*in_ != 0x1f) {
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
    in_ = reinterpret_cast<const unsigned char*>(input_.data());
    in_size_ = n;
    return true;
  }

  // Offset in the compressed input of the next byte not consumed.
  std::uint64_t offset() const { return compressed_bytes_ - in_size_; }

  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<char> input_;
  std::unique_ptr<Inflater> inflater_;
  const unsigned char* in_ = nullptr;
  std::size_t in_size_ = 0;
  std::size_t produced_ = 0;  // bytes written by the current read()
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
