// Streaming zstd decompression (libzstd's ZSTD_decompressStream). Concatenated frames (`cat a.zst
// b.zst`, `zstd` writing one frame per input) and skippable frames are decoded one after another;
// zero padding after the last frame is ignored, as for gzip. Damage is handled as
// compressed_source.h says: the data before it first, then the IoError.
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>

#include "kubeblame/io/compressed_source.h"

namespace kubeblame::io {
namespace {

// A zstd block header; ZSTD_decompressStream's input hint for a block includes the next one.
constexpr std::size_t kBlockHeaderSize = 3;

struct DStreamDeleter {
  void operator()(ZSTD_DStream* stream) const { ZSTD_freeDStream(stream); }
};

bool starts_frame(unsigned char byte) {
  return byte == 0x28 || (byte >= 0x50 && byte <= 0x5f);  // a zstd frame, a skippable frame
}

class ZstdSource : public CompressedSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> compressed, std::string name)
      : CompressedSource(std::move(compressed), std::move(name)), stream_(ZSTD_createDStream()) {
    if (!stream_) throw IoError(this->name() + ": cannot allocate a zstd decompression context");
  }

  std::string_view encoding() const override { return "zstd"; }

 private:
  // A failing ZSTD_decompressStream call reports neither the input it consumed nor the output it
  // wrote, so each call is given at most one block: the size zstd asks for next, less the header
  // of the following block that this hint includes (a block of up to 3 bytes takes it along).
  // An error then never costs the output of an earlier, intact block, and offset() is where the
  // damaged part starts.
  void decode_into(char* buffer, std::size_t capacity) override {
    while (produced_ < capacity) {
      if (at_frame_boundary_) {
        if (!at_next_frame()) break;
        at_frame_boundary_ = false;
        frame_start_ = offset();
        next_input_ = 1;  // the header's size is not known yet
      }
      if (in_size_ == 0 && !output_pending_ && !refill()) {
        throw IoError(name() + ": zstd data is truncated after " + std::to_string(offset()) +
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
        throw IoError(name() + ": unreadable zstd data at byte " + std::to_string(offset()) + " (" +
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
    if (!skip_zero_padding()) return false;
    if (!starts_frame(*in_)) throw not_a_frame(offset(), frame_ended_);
    return true;
  }

  IoError not_a_frame(std::uint64_t at, bool after_frame) const {
    return IoError(name() + ": unreadable zstd data at byte " + std::to_string(at) + " (not a zstd frame" +
                   (after_frame ? " after the end of the previous one" : "") +
                   "; the data before it was read)");
  }

  std::unique_ptr<ZSTD_DStream, DStreamDeleter> stream_;
  std::size_t next_input_ = 1;
  std::uint64_t frame_start_ = 0;
  bool at_frame_boundary_ = true;
  bool frame_ended_ = false;  // at least one frame was decoded
  bool output_pending_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_zstd_source(std::unique_ptr<ByteSource> compressed,
                                             std::string display_name) {
  return std::make_unique<ZstdSource>(std::move(compressed), std::move(display_name));
}

}  // namespace kubeblame::io
