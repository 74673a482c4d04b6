// A worker's decoding side: splits a chunk into records and routes each to its decoder.
#pragma once

#include <array>
#include <memory>

#include "kubeblame/analyze/shard.h"
#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/azure_record_decoder.h"
#include "kubeblame/decode/detect.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "kubeblame/decode/log_text_decoder.h"
#include "kubeblame/decode/parse_context.h"
#include "kubeblame/io/chunk.h"

namespace kubeblame::pipeline {

struct WorkItem {
  io::Chunk chunk;
  std::shared_ptr<const decode::InputContext> context;
  decode::DecoderKind decoder = decode::DecoderKind::kUnknown;
  bool quote_aware = false;  // CSV: records may span lines
};

class RecordRouter {
 public:
  RecordRouter();
  // Decodes every record of the chunk into `shard`.
  void process(const WorkItem& item, analyze::Shard& shard);

 private:
  void route(const decode::Record& record, decode::DecoderKind kind, analyze::Shard& shard);

  decode::ParseContext parse_context_;
  decode::AuditEventDecoder audit_;
  decode::LaRowDecoder rows_;
  decode::AzureRecordDecoder records_;
  decode::LogTextDecoder logs_;
};

}  // namespace kubeblame::pipeline
