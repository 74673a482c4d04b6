// Decoder for Azure diagnostic-settings records: Storage Account archives (PT1H.json, one record
// per line) and Event Hub batches ({"records":[...]}). properties.log holds an audit event (JSON
// text or an object) for the kube-audit and kube-audit-admin categories, and a log line of the
// component named by the category (kube-apiserver, kube-controller-manager, ...) for the others.
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
  // decode_record's steps, sharing what the record's fields say.
  struct RecordFields;
  simdjson::error_code read_record_fields(simdjson::ondemand::object object, RecordFields& record);
  simdjson::error_code read_properties(simdjson::ondemand::object properties,
                                       RecordFields& record);
  simdjson::error_code decode_log_text(RecordFields& record);
  void emit_log_line(const RecordFields& record, Format format, EventSink& sink);

  ParseContext& context_;
  model::AuditEvent event_;
  model::LogLine line_;
};

}  // namespace kubeblame::decode
