// Streaming zstd decompression (libzstd's ZSTD_decompressStream). Concatenated frames (`cat a.zst
// b.zst`, `zstd` writing one frame per input) and skippable frames are decoded one after another;
// zero padding after the last frame is ignored, as for gzip. On damage (a cut stream, a corrupt
// frame, trailing bytes that are not zstd) everything decompressed before the damage is returned
// first and the IoError comes on the next read, so the records before it still count.
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::io {
namespace {

constexpr std::size_t kCompressedBufferSize = 256 * 1024;
// A zstd block header; ZSTD_decompressStream's input hint for a block includes the next one.
constexpr std::size_t kBlockHeaderSize = 3;

struct DStreamDeleter {
  void operator()(ZSTD_DStream* stream) const { ZSTD_freeDStream(stream); }
};

bool starts_frame(unsigned char byte) {
  return byte == 0x28 || (byte >= 0x50 && byte <= 0x5f);  // a zstd frame, a skippable frame
}

class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> compressed, std::string name)
      : compressed_(std::move(compressed)),
        name_(std::move(name)),
        input_(kCompressedBufferSize),
        stream_(ZSTD_createDStream()) {
    if (!stream_) throw IoError(name_ + ": cannot allocate a zstd decompression context");
  }

  std::string_view encoding() const override { return "zstd"; }

  std::size_t read(char* buffer, std::size_t capacity) override {
    if (error_) throw IoError(*error_);
    if (finished_ || capacity == 0) return 0;
    produced_ = 0;
    try {
      decompress_into(buffer, capacity);
    } catch (const IoError& error) {
      if (produced_ == 0) throw;
      error_ = error.what();  // hand out what was decompressed first
    }
    return produced_;
  }

 private:
  // Fills buffer[0, capacity) as far as the input goes, counting into produced_.
  //
  // A failing ZSTD_decompressStream call reports neither the input it consumed nor the output it
  // wrote, so each call is given at most one block: the size zstd asks for next, less the header
  // of the following block that this hint includes (a block of up to 3 bytes takes it along).
  // An error then never costs the output of an earlier, intact block, and offset() is where the
  // damaged part starts.
  void decompress_into(char* buffer, std::size_t capacity) {
    while (produced_ < capacity) {
      if (at_frame_boundary_) {
        if (!at_next_frame()) break;
        at_frame_boundary_ = false;
        frame_start_ = offset();
        next_input_ = 1;  // the header's size is not known yet
      }
      if (in_size_ == 0 && !output_pending_ && !refill()) {
        throw IoError(name_ + ": zstd data is truncated after " + std::to_string(offset()) +
                      " bytes (the data before it was read)");
      }
      std::size_t feed = next_input_ > 2 * kBlockHeaderSize ? next_input_ - kBlockHeaderSize : next_input_;
      // Decoded bytes still inside zstd are flushed by a call without input first, so that a
      // failure in the next block cannot take them along.
      ZSTD_inBuffer in{in_, output_pending_ ? 0 : std::min(in_size_, feed), 0};
      ZSTD_outBuffer out{buffer + produced_, capacity - produced_, 0};
      std::size_t hint = ZSTD_decompressStream(stream_.get(), &out, &in);
      if (ZSTD_isError(hint)) {
        if (ZSTD_getErrorCode(hint) == ZSTD_error_prefix_unknown) {
          throw not_a_frame(frame_start_, frame_ended_);
        }
        throw IoError(name_ + ": unreadable zstd data at byte " + std::to_string(offset()) + " (" +
                      ZSTD_getErrorName(hint) + "; the data before it was read)");
      }
      in_ += in.pos;
      in_size_ -= in.pos;
      produced_ += out.pos;
      // A full output buffer may leave decoded bytes inside zstd.
      output_pending_ = out.pos == out.size;
      if (hint == 0) {  // a frame ended and all of it was flushed
        at_frame_boundary_ = true;
        frame_ended_ = true;
        output_pending_ = false;
        continue;
      }
      next_input_ = hint;
    }
  }

  // Between frames: true when another frame starts here. Zero padding up to the end of the
  // input is skipped (and finishes the stream); a byte that starts no frame is an error.
  bool at_next_frame() {
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
    if (!starts_frame(*in_)) throw not_a_frame(offset(), frame_ended_);
    return true;
  }

  IoError not_a_frame(std::uint64_t at, bool after_frame) const {
    return IoError(name_ + ": unreadable zstd data at byte " + std::to_string(at) + " (not a zstd frame" +
                   (after_frame ? " after the end of the previous one" : "") +
                   "; the data before it was read)");
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
  std::unique_ptr<ZSTD_DStream, DStreamDeleter> stream_;
  const unsigned char* in_ = nullptr;
  std::size_t in_size_ = 0;
  std::size_t produced_ = 0;  // bytes written by the current read()
  std::size_t next_input_ = 1;
  std::uint64_t compressed_bytes_ = 0;
  std::uint64_t frame_start_ = 0;
  bool at_frame_boundary_ = true;
  bool frame_ended_ = false;  // at least one frame was decoded
  bool output_pending_ = false;
  bool finished_ = false;
  std::optional<std::string> error_;
};

}  // namespace

std::unique_ptr<ByteSource> make_zstd_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name) {
  return std::make_unique<ZstdSource>(std::move(compressed), std::move(display_name));
}

}  // namespace kubeblame::io
