// Deflate engines. Both parse the gzip header and verify the CRC-32 and size trailer of every
// member; the caller handles member boundaries, padding and the compressed input.
#include "kubeblame/io/inflater.h"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

namespace kubeblame::io {
namespace {

constexpr std::size_t kMaxStep = std::numeric_limits<std::uint32_t>::max() / 2;

std::atomic<int> g_backend{-1};  // -1: not chosen yet (read KUBEBLAME_GZIP)

class IsalInflater : public Inflater {
 public:
  IsalInflater() { reset(); }
  Status inflate(const unsigned char*& in, std::size_t& in_size, char* out, std::size_t out_size,
                 std::size_t& produced, std::string& error) override {
    state_.next_in = const_cast<std::uint8_t*>(in);
    state_.avail_in = static_cast<std::uint32_t>(std::min(in_size, kMaxStep));
    std::size_t offered_in = state_.avail_in;
    state_.next_out = reinterpret_cast<std::uint8_t*>(out);
    state_.avail_out = static_cast<std::uint32_t>(std::min(out_size, kMaxStep));
    std::size_t offered_out = state_.avail_out;
    int rc = isal_inflate(&state_);
    std::size_t consumed = offered_in - state_.avail_in;
    in += consumed;
    in_size -= consumed;
    produced = offered_out - state_.avail_out;
    if (rc < 0) {
      error = describe(rc);
      return Status::kError;
    }
    return state_.block_state == ISAL_BLOCK_FINISH ? Status::kMemberEnd : Status::kProgress;
  }
  void reset() override {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;  // parse the gzip header, verify CRC-32 and ISIZE
  }

 private:
  static std::string describe(int rc) {
    switch (rc) {
      case ISAL_INVALID_BLOCK: return "invalid deflate block";
      case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
      case ISAL_INVALID_WRAPPER: return "incorrect header check";
      case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
      case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
      default: return "igzip error " + std::to_string(rc);
    }
  }
  inflate_state state_{};
};

class ZlibInflater : public Inflater {
 public:
  ZlibInflater() {
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) initialised_ = false;
  }
  ~ZlibInflater() override {
    if (initialised_) inflateEnd(&stream_);
  }
  ZlibInflater(const ZlibInflater&) = delete;
  ZlibInflater& operator=(const ZlibInflater&) = delete;

  Status inflate(const unsigned char*& in, std::size_t& in_size, char* out, std::size_t out_size,
                 std::size_t& produced, std::string& error) override {
    if (!initialised_) {
      error = "cannot initialise zlib";
      return Status::kError;
    }
    stream_.next_in = const_cast<Bytef*>(in);
    stream_.avail_in = static_cast<uInt>(std::min(in_size, kMaxStep));
    std::size_t offered_in = stream_.avail_in;
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min(out_size, kMaxStep));
    std::size_t offered_out = stream_.avail_out;
    int rc = ::inflate(&stream_, Z_NO_FLUSH);
    std::size_t consumed = offered_in - stream_.avail_in;
    in += consumed;
    in_size -= consumed;
    produced = offered_out - stream_.avail_out;
    if (rc == Z_STREAM_END) return Status::kMemberEnd;
    if (rc == Z_OK || rc == Z_BUF_ERROR) return Status::kProgress;  // BUF_ERROR: needs input
    error = stream_.msg != nullptr ? std::string(stream_.msg) : "zlib error " + std::to_string(rc);
    return Status::kError;
  }
  void reset() override {
    if (initialised_) inflateReset(&stream_);
  }

 private:
  z_stream stream_{};
  bool initialised_ = true;
};

}  // namespace

GzipBackend gzip_backend() {
  int chosen = g_backend.load(std::memory_order_relaxed);
  if (chosen >= 0) return static_cast<GzipBackend>(chosen);
  const char* env = std::getenv("KUBEBLAME_GZIP");
  return env != nullptr && std::string_view(env) == "zlib" ? GzipBackend::kZlib : GzipBackend::kIsal;
}

void set_gzip_backend(GzipBackend backend) {
  g_backend.store(static_cast<int>(backend), std::memory_order_relaxed);
}

const char* gzip_backend_name(GzipBackend backend) {
  return backend == GzipBackend::kZlib ? "zlib" : "isa-l";
}

std::unique_ptr<Inflater> make_inflater(GzipBackend backend) {
  if (backend == GzipBackend::kZlib) return std::make_unique<ZlibInflater>();
  return std::make_unique<IsalInflater>();
}

}  // namespace kubeblame::io
