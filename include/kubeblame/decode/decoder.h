// The one small interface every input format implements.
#pragma once

#include "kubeblame/decode/record.h"

namespace kubeblame::decode {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes one record, reporting each event or counted skip to `sink` (a batch record reports
  // once per element). Returns false, having reported nothing, when the record is not in this
  // decoder's format, so the caller can detect the record's format and try again.
  virtual bool decode(const Record& record, EventSink& sink) = 0;
};

}  // namespace kubeblame::decode
