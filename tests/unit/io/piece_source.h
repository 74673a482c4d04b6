// Test helpers for byte sources: in-memory data handed out a few bytes at a time, so that
// every consumer is exercised at every read boundary; gzip members built in memory; and a
// temporary directory.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include "kubeblame/io/byte_source.h"

namespace kubeblame::test {

// Returns at most `piece` bytes per read (never more than asked for).
class PieceSource : public io::ByteSource {
 public:
  PieceSource(std::string data, std::size_t piece) : data_(std::move(data)), piece_(piece) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    std::size_t n = std::min({capacity, piece_, data_.size() - pos_});
    std::memcpy(buffer, data_.data() + pos_, n);
    pos_ += n;
    ++reads_;
    return n;
  }
  std::size_t reads() const { return reads_; }

 private:
  std::string data_;
  std::size_t piece_;
  std::size_t pos_ = 0;
  std::size_t reads_ = 0;
};

// Hands out `data` at most `piece` bytes per read, then throws IoError(`error`) from the next
// read: a disk read error, or gzip data cut short.
class FailingSource : public io::ByteSource {
 public:
  FailingSource(std::string data, std::size_t piece, std::string error)
      : data_(std::move(data)), piece_(piece), error_(std::move(error)) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    if (pos_ == data_.size()) throw io::IoError(error_);
    std::size_t n = std::min({capacity, piece_, data_.size() - pos_});
    std::memcpy(buffer, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t piece_;
  std::string error_;
  std::size_t pos_ = 0;
};

// One gzip member holding `text` (deflateInit2 with 16 + 15 window bits writes gzip framing;
// compress2 would write zlib framing). Returns "" if zlib fails.
inline std::string gzip(std::string_view text) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return rc == Z_STREAM_END ? out : std::string();
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("kubeblame-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `bytes` to `relative` (creating parent directories) and returns the full path.
  std::string write(const std::string& relative, std::string_view bytes) const {
    std::filesystem::path full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return full.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace kubeblame::test
