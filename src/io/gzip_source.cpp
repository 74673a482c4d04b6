// Streaming gzip decompression (ISA-L's igzip, or zlib; see inflater.h). Concatenated gzip
// members (as produced by `cat a.gz b.gz` or log rotation tools) are decoded one after another;
// zero padding after the last member (tape and block-device copies) is ignored. Damage is handled
// as compressed_source.h says: the data before it first, then the IoError.
#include "kubeblame/io/compressed_source.h"
#include "kubeblame/io/inflater.h"

namespace kubeblame::io {
namespace {

class GzipSource : public CompressedSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, std::string name, std::uint64_t start_offset)
      : CompressedSource(std::move(compressed), std::move(name), start_offset),
        inflater_(make_inflater(gzip_backend())) {}

  std::string_view encoding() const override { return "gzip"; }

 private:
  void decode_into(char* buffer, std::size_t capacity) override {
    while (produced_ < capacity) {
      if (in_size_ == 0 && !refill()) {
        if (!at_member_boundary_) {
          throw IoError(name() + ": gzip data is truncated after " + std::to_string(offset()) +
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
        throw IoError(name() + ": unreadable gzip data at byte " + std::to_string(offset()) + " (" +
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
    if (!skip_zero_padding()) return false;
    if (*in_ != 0x1f) {
      throw IoError(name() + ": unreadable gzip data at byte " + std::to_string(offset()) +
                    " (not a gzip member after the end of the previous one; the data before it "
                    "was read)");
    }
    return true;
  }

  std::unique_ptr<Inflater> inflater_;
  bool at_member_boundary_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_gzip_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name, std::uint64_t start_offset) {
  return std::make_unique<GzipSource>(std::move(compressed), std::move(display_name), start_offset);
}

}  // namespace kubeblame::io
