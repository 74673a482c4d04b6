// Decoder for Log Analytics rows: AKSAudit / AKSAuditAdmin (PascalCase audit columns) and legacy
// AzureDiagnostics (payload in log_s), in the three shapes exports take: JSON objects from
// `az monitor log-analytics query -o json` (every value a string), rows of the query REST API's
// `tables` (arrays matched to `columns`), and rows of the portal's CSV export.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "kubeblame/decode/column.h"
#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

class LaRowDecoder : public Decoder {
 public:
  explicit LaRowDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& sink) override;

  // One row's raw column texts (views live until the next record).
  using RowValues = std::array<std::string_view, static_cast<std::size_t>(Column::kCount)>;
  enum class RowKind { kAudit, kDiagnostics, kOther };

 private:
  bool decode_csv(const Record& record, EventSink& sink);
  bool decode_json(const Record& record, EventSink& sink);
  bool decode_object_row(simdjson::ondemand::object object, bool rest, EventSink& sink);
  void decode_array_row(simdjson::ondemand::array row, const std::vector<Column>& columns,
                        EventSink& sink);
  void decode_rest_document(simdjson::ondemand::object document, EventSink& sink);
  // Builds and reports the event of a collected row. Returns false if the row is not a
  // Log Analytics row kubeblame knows.
  bool emit_row(RowKind kind, Format format, EventSink& sink);
  RowKind row_kind() const;

  ParseContext& context_;
  RowValues values_{};
  model::AuditEvent event_;
  std::vector<std::string_view> cells_;
  std::vector<Column> rest_columns_;
};

}  // namespace kubeblame::decode
