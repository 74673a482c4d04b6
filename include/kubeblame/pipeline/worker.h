// A worker's decoding side: splits a chunk into records and routes each to its decoder.
#pragma once

#include <array>
#include <memory>

#include "kubeblame/analyze/shard.h"
#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/format_table.h"
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
  // `reads_bodies`: whether the shard it feeds reads request bodies (Shard::reads_bodies).
  explicit RecordRouter(bool reads_bodies = true);
  // Decodes every record of the chunk into `shard`.
  void process(const WorkItem& item, analyze::Shard& shard);

 private:
  void route(const decode::Record& record, decode::DecoderKind kind, analyze::Shard& shard);

  decode::Decoder* decoder_for(decode::DecoderKind kind) const;

  decode::ParseContext parse_context_;
  // One decoder of each kind (decode/format_table.h), indexed by DecoderKind.
  std::array<std::unique_ptr<decode::Decoder>, decode::kDecoderCount> decoders_;
};

}  // namespace kubeblame::pipeline
