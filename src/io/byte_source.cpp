// File, stdin and peekable sources.
#include "kubeblame/io/byte_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kubeblame::io {
namespace {

// Enough for the zstd magic (4 bytes); gzip needs 2.
constexpr std::size_t kMagicSniffBytes = 4;
// Layers of compression undone (a gzip inside a gzip is one level of nesting; more is no
// export anyone makes, and each layer holds its own buffers).
constexpr int kMaxCompressionLayers = 3;

bool is_gzip(std::string_view magic) {
  return magic.size() >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
         static_cast<unsigned char>(magic[1]) == 0x8b;
}

// A zstd frame (28 B5 2F FD) or a skippable frame (5? 2A 4D 18), which may start a zstd file.
bool is_zstd(std::string_view magic) {
  if (magic.size() < 4) return false;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(magic[i]); };
  if (byte(0) == 0x28 && byte(1) == 0xb5 && byte(2) == 0x2f && byte(3) == 0xfd) return true;
  return (byte(0) & 0xf0) == 0x50 && byte(1) == 0x2a && byte(2) == 0x4d && byte(3) == 0x18;
}

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned, std::atomic<std::uint64_t>* bytes_read)
      : fd_(fd), name_(std::move(name)), owned_(owned), bytes_read_(bytes_read) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  std::size_t read(char* buffer, std::size_t capacity) override {
    for (;;) {
      ssize_t n = ::read(fd_, buffer, capacity);
      if (n >= 0) {
        if (bytes_read_ != nullptr) bytes_read_->fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
        return static_cast<std::size_t>(n);
      }
      if (errno == EINTR) continue;
      throw IoError(name_ + ": read failed: " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string name_;
  bool owned_;
  std::atomic<std::uint64_t>* bytes_read_;
};

}  // namespace

std::string_view PeekableSource::peek(std::size_t size) {
  while (prefix_.size() < size) {
    std::size_t old = prefix_.size();
    prefix_.resize(size);
    std::size_t n = 0;
    try {
      n = inner_->read(prefix_.data() + old, size - old);
    } catch (const IoError& error) {
      prefix_.resize(old);
      if (old == 0) throw;
      error_ = error.what();  // the prefix is real data: hand it out, then fail
      break;
    }
    prefix_.resize(old + n);
    if (n == 0) break;
  }
  return {prefix_.data(), std::min(size, prefix_.size())};
}

std::size_t PeekableSource::read(char* buffer, std::size_t capacity) {
  if (prefix_pos_ < prefix_.size()) {
    std::size_t n = std::min(capacity, prefix_.size() - prefix_pos_);
    std::memcpy(buffer, prefix_.data() + prefix_pos_, n);
    prefix_pos_ += n;
    if (prefix_pos_ == prefix_.size()) {
      prefix_.clear();
      prefix_.shrink_to_fit();
      prefix_pos_ = 0;
    }
    return n;
  }
  if (error_) throw IoError(*error_);
  return inner_->read(buffer, capacity);
}

std::unique_ptr<PeekableSource> open_source(const std::string& path,
                                            std::atomic<std::uint64_t>* bytes_read,
                                            unsigned threads) {
  std::unique_ptr<ByteSource> raw;
  if (path == "-") {
    // A pipe's default 64 KiB buffer makes the writer and kubeblame's reader take turns every
    // 64 KiB; 1 MiB (the unprivileged maximum) lets whole chunks through per read. Best effort:
    // fails harmlessly on files, terminals and when the limit is lower.
    ::fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1 << 20);
    raw = std::make_unique<FdSource>(STDIN_FILENO, "<stdin>", false, bytes_read);
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError(path + ": " + std::strerror(errno));
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    raw = std::make_unique<FdSource>(fd, path, true, bytes_read);
  }
  auto peekable = std::make_unique<PeekableSource>(std::move(raw));
  std::string name = path == "-" ? "<stdin>" : path;
  // Compressed twice: Firehose gzips an object of gzip members once more when its own
  // compression is on, so decompressed bytes that start with a magic are decompressed again.
  for (int layer = 0; layer < kMaxCompressionLayers; ++layer) {
    std::string_view magic;
    try {
      magic = peekable->peek(kMagicSniffBytes);
    } catch (const IoError&) {
      if (layer == 0) throw;
      break;  // damaged compressed data: the first read raises the same error again
    }
    if (is_gzip(magic)) {
      auto gzip = make_parallel_gzip_source(std::move(peekable), name, threads);
      peekable = std::make_unique<PeekableSource>(std::move(gzip));
    } else if (is_zstd(magic)) {
      peekable = std::make_unique<PeekableSource>(make_zstd_source(std::move(peekable), name));
    } else {
      break;
    }
  }
  return peekable;
}

}  // namespace kubeblame::io
