// Plain log text: one line, one LogLine. Without a record-level time the year of klog headers
// comes from the CRI prefix, or from the run's clock (parse_log_text's rule).
#include "kubeblame/decode/log_text_decoder.h"

#include "kubeblame/decode/detect.h"
#include "kubeblame/decode/klog.h"

namespace kubeblame::decode {

bool LogTextDecoder::decode(const Record& record, EventSink& sink) {
  std::string_view text(record.data, record.size);
  line_.component = {};
  parse_log_text(text, 0, line_);
  bool json_log = line_.shape == model::LogShape::kJson && !line_.message.empty();
  if (!json_log) {
    std::size_t start = text.find_first_not_of(" \t");
    if (start != std::string_view::npos && text[start] == '{' &&
        detect_record(text) != DecoderKind::kUnknown) {
      return false;  // an audit event or Azure record among log lines
    }
  }
  sink.on_log_line(line_, Format::kLogText);
  return true;
}

}  // namespace kubeblame::decode
