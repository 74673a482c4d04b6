// Decoder for plain control-plane log text (Format::kLogText): kube-apiserver log files as
// written by klog, with or without the CRI prefix of /var/log/containers and /var/log/pods.
// Every line is one model::LogLine (see parse_log_text for its shapes); the component is left
// empty because a log file does not say which component wrote it.
#pragma once

#include "kubeblame/decode/decoder.h"

namespace kubeblame::decode {

class LogTextDecoder : public Decoder {
 public:
  // Reports one log line per record. Returns false (reporting nothing) only for a JSON record
  // that names keys of another input format (an audit event or Azure record in a log file), so
  // the router hands it to that format's decoder.
  bool decode(const Record& record, EventSink& sink) override;

 private:
  model::LogLine line_;
};

}  // namespace kubeblame::decode
