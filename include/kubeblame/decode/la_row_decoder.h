// Decoder for Log Analytics rows: AKSAudit / AKSAuditAdmin (PascalCase audit columns), legacy
// AzureDiagnostics (payload in log_s: an audit event for the kube-audit categories, a log line for
// the others) and AKSControlPlane (Category, Level, Message: log lines), in the three shapes
// exports take: JSON objects from
// `az monitor log-analytics query -o json` (every value a string), rows of the query REST API's
// `tables` (arrays matched to `columns`), and rows of the portal's CSV export.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/decode/column.h"
#include "kubeblame/decode/csv.h"
#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"
#include "kubeblame/model/weighted_group.h"

namespace kubeblame::decode {

class LaRowDecoder : public Decoder {
 public:
  explicit LaRowDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& sink) override;

  // One row's raw column texts (views live until the next record).
  using RowValues = std::array<std::string_view, static_cast<std::size_t>(Column::kCount)>;
  enum class RowKind { kAudit, kDiagnostics, kControlPlane, kOther };

 private:
  bool decode_csv(const Record& record, EventSink& sink);
  bool decode_json(const Record& record, EventSink& sink);
  void decode_json_array(simdjson::ondemand::array array, const InputContext* context,
                         EventSink& sink);
  bool decode_object_row(simdjson::ondemand::object object, bool rest, EventSink& sink);
  void decode_array_row(simdjson::ondemand::array row, const std::vector<Column>& columns,
                        const std::vector<std::string>& names, EventSink& sink);
  // A kubeblame kql result row (its `kubeblame` column is set): every cell by column name.
  bool decode_result_object(simdjson::ondemand::object object, Format format, EventSink& sink);
  void decode_result_array(simdjson::ondemand::array row, const std::vector<std::string>& names,
                           EventSink& sink);
  void emit_result(Format format, EventSink& sink);
  void decode_rest_document(simdjson::ondemand::object document, EventSink& sink);
  // Builds and reports the event of a collected row. Returns false if the row is not a
  // Log Analytics row kubeblame knows.
  bool emit_row(RowKind kind, Format format, EventSink& sink);
  void emit_control_plane_row(model::TimeNs generated, Format format, EventSink& sink);
  void emit_diagnostics_row(model::TimeNs generated, Format format, EventSink& sink);
  void emit_audit_row(model::TimeNs generated, Format format, EventSink& sink);
  void read_text_columns(model::TimeNs generated);
  simdjson::error_code read_dynamic_columns();
  void read_annotation_column();
  template <typename Read>
  simdjson::error_code parse_dynamic(Column column, Read&& read);
  RowKind row_kind() const;
  // An Azure Arc-enabled cluster's row (Type ArcK8sAudit, ArcK8sAuditAdmin, ArcK8sControlPlane).
  bool is_arc_row() const;
  // Reports `text` as a log line of `component`, the level falling back to the Level column.
  void emit_log_line(std::string_view text, model::TimeNs reference, std::string_view component,
                     Format format, EventSink& sink);
  void set(Column column, std::string_view text) {
    values_[static_cast<std::size_t>(column)] = text;
    present_ |= std::uint32_t{1} << static_cast<unsigned>(column);
  }
  bool has(Column column) const {
    return (present_ >> static_cast<unsigned>(column) & 1U) != 0;
  }
  // A column's text, empty when absent ("None", "null" or "" in exports).
  std::string_view column_text(Column column) const;

  ParseContext& context_;
  RowValues values_{};
  std::uint32_t present_ = 0;  // bit per Column: the row has that column (even if empty)
  model::AuditEvent event_;
  model::LogLine line_;
  static_assert(static_cast<unsigned>(Column::kCount) <= 32, "present_ holds one bit per column");
  std::vector<CsvCell> cells_;
  std::vector<Column> rest_columns_;
  std::vector<std::string> rest_names_;
  std::vector<std::string_view> result_names_;
  std::vector<std::string_view> result_cells_;
  model::WeightedGroup group_;
};

}  // namespace kubeblame::decode
