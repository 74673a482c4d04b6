// RFC 4180 CSV records, as the Azure portal exports query results.
#pragma once

#include <string_view>
#include <vector>

#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

// Splits one record into cells. Quoted cells may hold commas, newlines and doubled quotes;
// unescaped copies go to `arena`. Returns false when a quote is left open or stray text follows
// a closing quote.
bool split_csv_record(std::string_view record, std::vector<std::string_view>& cells,
                      StringArena& arena);

}  // namespace kubeblame::decode
