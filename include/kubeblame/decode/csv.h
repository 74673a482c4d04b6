// RFC 4180 CSV records, as the Azure portal exports query results.
#pragma once

#include <string_view>
#include <vector>

#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

// One cell as it stands in the record: a quoted cell without its quotes, `doubled` when it
// holds "" pairs still to be unescaped.
struct CsvCell {
  std::string_view raw;
  bool doubled = false;
};

// Splits one record into cells without copying anything. False when a quote is left open or
// stray text follows a closing quote.
bool split_csv_cells(std::string_view record, std::vector<CsvCell>& cells);

// The cell's text: its raw view, or (with "" pairs) an unescaped copy kept in `arena`.
std::string_view csv_cell_text(const CsvCell& cell, StringArena& arena);

// Splits one record into cells. Quoted cells may hold commas, newlines and doubled quotes;
// unescaped copies go to `arena`. Returns false when a quote is left open or stray text follows
// a closing quote.
bool split_csv_record(std::string_view record, std::vector<std::string_view>& cells,
                      StringArena& arena);

}  // namespace kubeblame::decode
