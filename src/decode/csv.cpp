// CSV splitting. Unquoted cells and quoted cells without doubled quotes are views into the
// record; only cells with "" escapes are copied.
#include "kubeblame/decode/csv.h"

#include <string>

namespace kubeblame::decode {

bool split_csv_record(std::string_view record, std::vector<std::string_view>& cells,
                      StringArena& arena) {
  cells.clear();
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) {
    record.remove_suffix(1);
  }
  std::size_t pos = 0;
  thread_local std::string unescaped;  // reused: no allocation per record
  for (;;) {
    if (pos < record.size() && record[pos] == '"') {
      std::size_t start = ++pos;
      bool doubled = false;
      for (;;) {
        std::size_t quote = record.find('"', pos);
        if (quote == std::string_view::npos) return false;
        if (quote + 1 < record.size() && record[quote + 1] == '"') {
          doubled = true;
          pos = quote + 2;
          continue;
        }
        std::string_view raw = record.substr(start, quote - start);
        if (doubled) {
          unescaped.clear();
          for (std::size_t i = 0; i < raw.size(); ++i) {
            unescaped.push_back(raw[i]);
            if (raw[i] == '"') ++i;  // skip the second quote of a pair
          }
          raw = arena.keep(unescaped);
        }
        cells.push_back(raw);
        pos = quote + 1;
        break;
      }
      if (pos < record.size() && record[pos] != ',') return false;
    } else {
      std::size_t comma = record.find(',', pos);
      std::size_t end = comma == std::string_view::npos ? record.size() : comma;
      cells.push_back(record.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= record.size()) return true;
    ++pos;  // the comma
    if (pos == record.size()) {
      cells.emplace_back();
      return true;
    }
  }
}

}  // namespace kubeblame::decode
