// Decoder target: one record handed straight to each decoder (audit event, Log Analytics row,
// Azure diagnostic record, CloudWatch log event, GKE LogEntry) and to per-record detection, as the
// worker's router would. Each
// decoder either reports at least one event/skip/log line or says "not mine" and reports nothing.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include <simdjson.h>

#include "fuzz_common.h"
#include "kubeblame/analyze/shard.h"
#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/azure_record_decoder.h"
#include "kubeblame/decode/cloudwatch_decoder.h"
#include "kubeblame/decode/detect.h"
#include "kubeblame/decode/foreign_input.h"
#include "kubeblame/decode/gke_entry_decoder.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace {

using namespace kubeblame;

class CountingSink : public decode::EventSink {
 public:
  void on_event(const model::AuditEvent& event, decode::Format format) override {
    ++reports;
    shard.on_event(event, format);
  }
  void on_skip(decode::SkipReason reason, decode::Format format) override {
    ++reports;
    shard.on_skip(reason, format);
  }
  void on_log_line(const model::LogLine& line, decode::Format format) override {
    ++reports;
    shard.on_log_line(line, format);
  }
  static analyze::AnalysisPlan make_plan() {
    analyze::AnalysisPlan plan;
    plan.groupings = {{analyze::Dimension::kObject, analyze::Dimension::kError}};
    return plan;
  }
  analyze::AnalysisPlan plan = make_plan();
  analyze::Shard shard{plan};
  std::size_t reports = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A padded private copy, as the chunker provides.
  std::vector<char> buffer(size + simdjson::SIMDJSON_PADDING, ' ');
  if (size > 0) std::memcpy(buffer.data(), data, size);
  // Two contexts: plain lines, and a REST/CSV-like context whose columns name the audit fields.
  decode::InputContext lines;
  decode::InputContext columns;
  columns.container = decode::Container::kRestRows;
  for (const char* name : {"TimeGenerated", "Category", "Level", "Message", "AuditId", "Verb",
                           "RequestUri", "User", "UserAgent", "ObjectRef", "ResponseStatus",
                           "Stage", "RequestObject", "log_s"}) {
    columns.columns.emplace_back(name);
  }
  columns.column_ids = decode::columns_for(columns.columns);
  // The CloudWatch containers: filter-log-events events, subscription logEvents,
  // get-query-results rows and a Logs Insights CSV header.
  decode::InputContext cwl_events;
  cwl_events.container = decode::Container::kCwlEvents;
  decode::InputContext log_events;
  log_events.container = decode::Container::kCwlLogEvents;
  decode::InputContext query_rows;
  query_rows.container = decode::Container::kQueryRows;
  decode::InputContext insights_csv;
  insights_csv.container = decode::Container::kCsvRows;
  insights_csv.columns = {"@timestamp", "@message", "@logStream"};
  insights_csv.column_ids = decode::columns_for(insights_csv.columns);

  decode::ParseContext context;
  decode::AuditEventDecoder audit(context);
  decode::LaRowDecoder rows(context);
  decode::AzureRecordDecoder records(context);
  decode::CloudWatchDecoder cloudwatch(context);
  decode::GkeEntryDecoder gke(context);
  std::string_view text(buffer.data(), size);
  (void)decode::detect_record(text);
  (void)decode::detect_input(text, true);
  (void)decode::describe_foreign_input(text);
  for (const decode::InputContext* input :
       {&lines, &columns, &cwl_events, &log_events, &query_rows, &insights_csv}) {
    decode::Record record{buffer.data(), size, buffer.size(), input};
    for (decode::Decoder* decoder : {static_cast<decode::Decoder*>(&audit),
                                     static_cast<decode::Decoder*>(&rows),
                                     static_cast<decode::Decoder*>(&records),
                                     static_cast<decode::Decoder*>(&cloudwatch),
                                     static_cast<decode::Decoder*>(&gke)}) {
      CountingSink sink;
      bool mine = decoder->decode(record, sink);
      if (mine && sink.reports == 0) fuzz::fail("decoder accepted a record and reported nothing");
      if (!mine && sink.reports != 0) fuzz::fail("decoder declined a record after reporting");
    }
  }
  return 0;
}
