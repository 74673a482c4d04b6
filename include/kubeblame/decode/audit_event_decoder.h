// Decoder for raw audit.k8s.io Event JSON: one event per line, JSON arrays of events, EventList
// batches, and the older 2017-2018 shape with `timestamp` instead of stage timestamps.
#pragma once

#include <simdjson.h>

#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

struct EventShape {
  bool is_event = false;   // a verb or request URI, and no foreign `kind`
  bool has_items = false;  // an `items` array: an EventList
};

// Reads the fields of one Event object into `event` (reset first) in a single forward pass.
simdjson::error_code read_audit_event(simdjson::ondemand::object& object, model::AuditEvent& event,
                                      EventShape& shape);

class AuditEventDecoder : public Decoder {
 public:
  explicit AuditEventDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& out) override;

 private:
  bool decode_object(simdjson::ondemand::object object, Format format, EventSink& sink);
  void decode_elements(simdjson::ondemand::array array, Format format, EventSink& sink);

  ParseContext& context_;
  model::AuditEvent event_;
};

}  // namespace kubeblame::decode
