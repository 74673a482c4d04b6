// Writing the rendered report: all of it, or nothing more once the reader has gone away.
#pragma once

#include <string_view>

namespace kubeblame::io {

enum class WriteResult { kOk, kClosed, kFailed };

// Writes everything to `fd`, retrying short writes. A closed pipe (`| head`) is kClosed, which
// callers treat as a clean exit; SIGPIPE must be ignored for that to be observable.
WriteResult write_all(int fd, std::string_view data);

}  // namespace kubeblame::io
