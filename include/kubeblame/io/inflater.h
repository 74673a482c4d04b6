// The deflate engines behind GzipSource, one gzip member at a time: ISA-L's igzip (the default,
// about twice as fast as zlib on this kind of machine) and zlib (KUBEBLAME_GZIP=zlib).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace kubeblame::io {

enum class GzipBackend { kIsal, kZlib };

// The backend new gzip sources use: ISA-L unless KUBEBLAME_GZIP=zlib, or what
// set_gzip_backend() chose (tests run every gzip case under both).
GzipBackend gzip_backend();
void set_gzip_backend(GzipBackend backend);
const char* gzip_backend_name(GzipBackend backend);

class Inflater {
 public:
  enum class Status { kProgress, kMemberEnd, kError };
  virtual ~Inflater() = default;
  // Decompresses from [in, in + in_size) into [out, out + out_size); advances `in`/`in_size`
  // past what was consumed and sets `produced`. kMemberEnd: a gzip member (header, data and
  // verified trailer) ended; call reset() before the next one. kError fills `error`.
  virtual Status inflate(const unsigned char*& in, std::size_t& in_size, char* out,
                         std::size_t out_size, std::size_t& produced, std::string& error) = 0;
  virtual void reset() = 0;
};

std::unique_ptr<Inflater> make_inflater(GzipBackend backend);

}  // namespace kubeblame::io
