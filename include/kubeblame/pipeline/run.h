// The only module that knows threads: one reader frames inputs into chunks, N workers decode
// and aggregate them into private shards, and the shards are merged at the end.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kubeblame/analyze/shard.h"
#include "kubeblame/decode/detect.h"

namespace kubeblame::pipeline {

struct PipelineOptions {
  std::vector<std::string> inputs;  // expanded paths; "-" is stdin
  unsigned threads = 1;
  std::size_t chunk_size = 1 << 20;
  std::size_t max_line = 128ull << 20;
  decode::FormatHint input_format = decode::FormatHint::kAuto;
  analyze::AnalysisPlan plan;
  std::atomic<std::uint64_t>* bytes_read = nullptr;  // progress: input bytes read (app/progress_meter.h)
};

struct InputInfo {
  std::string path;
  std::string_view encoding;  // "gzip", "zstd" or ""
  decode::DecoderKind decoder = decode::DecoderKind::kUnknown;
  decode::Framing framing = decode::Framing::kLines;
  std::uint64_t bytes = 0;  // after decompression
  // A Log Analytics REST response's "error" member (PartialError: the rows are incomplete), as
  // decode::JsonFramer::api_error() gives it; empty when there is none.
  std::string api_error;
  // What the input looks like when it is not a format kubeblame reads
  // (decode::describe_foreign_input); empty otherwise.
  std::string looks_like;
};

struct StageTimes {
  double read_s = 0;     // reader thread: reading, decompressing, framing
  double decode_s = 0;   // workers, summed: decoding and aggregating
  double merge_s = 0;
  double wall_s = 0;
  std::uint64_t chunks = 0;
  std::size_t seen_bytes = 0;  // the de-duplication tables at the end (analyze/seen_events.h)
};

struct RunResult {
  std::unique_ptr<analyze::Shard> merged;
  std::vector<InputInfo> inputs;
  std::vector<std::string> errors;  // I/O errors; inputs after an error are still read
  StageTimes times;
};

RunResult run(const PipelineOptions& options);

}  // namespace kubeblame::pipeline
