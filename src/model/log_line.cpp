#include "kubeblame/model/log_line.h"

namespace kubeblame::model {

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
    case LogLevel::kFatal: return "fatal";
    case LogLevel::kUnknown: break;
  }
  return "unknown";
}

}  // namespace kubeblame::model
