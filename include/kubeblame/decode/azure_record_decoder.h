// Decoder for Azure diagnostic-settings records: Storage Account archives (PT1H.json, one record
// per line) and Event Hub batches ({"records":[...]}). The audit event is in properties.log, as
// JSON text or as an object.
#pragma once

#include <simdjson.h>

#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

class AzureRecordDecoder : public Decoder {
 public:
  explicit AzureRecordDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& sink) override;

 private:
  // Returns false when the object is not shaped like a diagnostic record.
  bool decode_record(simdjson::ondemand::object object, Format format, EventSink& sink);
  void decode_batch(simdjson::ondemand::array records, EventSink& sink);

  ParseContext& context_;
  model::AuditEvent event_;
};

}  // namespace kubeblame::decode
