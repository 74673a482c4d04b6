// split_csv_record: RFC 4180 cells as the Azure portal writes them.
#include "kubeblame/decode/csv.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

namespace kubeblame::decode {
namespace {

std::vector<std::string> cells_of(std::string_view record) {
  StringArena arena;
  std::vector<std::string_view> cells;
  INFO(record);
  REQUIRE(split_csv_record(record, cells, arena));
  return {cells.begin(), cells.end()};
}

using Cells = std::vector<std::string>;

TEST_CASE("split_csv_record splits plain and quoted cells", "[decode][csv]") {
  CHECK(cells_of("a,b,c") == Cells{"a", "b", "c"});
  CHECK(cells_of("\"a,1\",\"b\"\"q\"\"\",c") == Cells{"a,1", "b\"q\"", "c"});
  CHECK(cells_of("\"\"\"\"") == Cells{"\""});
  CHECK(cells_of("\"\"") == Cells{""});
  CHECK(cells_of(",,") == Cells{"", "", ""});
  CHECK(cells_of("a,") == Cells{"a", ""});
  CHECK(cells_of("\"x\",") == Cells{"x", ""});
  CHECK(cells_of("") == Cells{""});
  CHECK(cells_of("a,b\r\n") == Cells{"a", "b"});
  CHECK(cells_of("a,\"b\"\r\n") == Cells{"a", "b"});
  CHECK(cells_of("\"multi\nline\",x\n") == Cells{"multi\nline", "x"});
  CHECK(cells_of(" spaced , cells ") == Cells{" spaced ", " cells "});
  CHECK(cells_of("\"{\"\"username\"\":\"\"u\"\"}\",\"2/25/2025, 9:19:25.391 AM\"") ==
        Cells{"{\"username\":\"u\"}", "2/25/2025, 9:19:25.391 AM"});
}

TEST_CASE("split_csv_record keeps unescaped copies alive across cells", "[decode][csv]") {
  StringArena arena;
  std::vector<std::string_view> cells;
  REQUIRE(split_csv_record("\"a\"\"1\",\"b\"\"2\",\"c\"\"3\"", cells, arena));
  REQUIRE(cells.size() == 3);
  CHECK(cells[0] == "a\"1");
  CHECK(cells[1] == "b\"2");
  CHECK(cells[2] == "c\"3");
  // A second record reuses the cell vector.
  REQUIRE(split_csv_record("x", cells, arena));
  CHECK(cells == std::vector<std::string_view>{"x"});
}

TEST_CASE("split_csv_record rejects unbalanced quotes and text after a closing quote",
          "[decode][csv]") {
  StringArena arena;
  std::vector<std::string_view> cells;
  for (std::string_view bad : {"\"open", "a,\"open", "\"a\"\"", "\"a\"b,c", "\"a\" ,b"}) {
    INFO(bad);
    CHECK_FALSE(split_csv_record(bad, cells, arena));
  }
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

TEST_CASE("split_csv_cells finds cells without copying; csv_cell_text unescapes on demand",
          "[decode][csv]") {
  std::string record = "plain,\"q,uoted\",\"a \"\"b\"\" c\",\"\"\"\"\"\",\"end\"\"\"";
  std::vector<CsvCell> cells;
  REQUIRE(split_csv_cells(record, cells));
  REQUIRE(cells.size() == 5);
  // Every raw cell is a view into the record itself.
  for (const CsvCell& cell : cells) {
    CHECK(cell.raw.data() >= record.data());
    CHECK(cell.raw.data() + cell.raw.size() <= record.data() + record.size());
  }
  CHECK_FALSE(cells[0].doubled);
  CHECK_FALSE(cells[1].doubled);
  CHECK(cells[2].doubled);
  CHECK(cells[2].raw == "a \"\"b\"\" c");
  StringArena arena;
  CHECK(csv_cell_text(cells[0], arena) == "plain");
  CHECK(csv_cell_text(cells[1], arena).data() == cells[1].raw.data());  // no copy
  CHECK(csv_cell_text(cells[2], arena) == "a \"b\" c");
  CHECK(csv_cell_text(cells[3], arena) == "\"\"");
  CHECK(csv_cell_text(cells[4], arena) == "end\"");
  for (std::string_view bad : {"\"open", "\"a\"b,c"}) {
    INFO(bad);
    CHECK_FALSE(split_csv_cells(bad, cells));
  }
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// The split as it was first written, one byte at a time: the reference for the block scan.
bool reference_split(std::string_view record, std::vector<std::string>& cells) {
  cells.clear();
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) record.remove_suffix(1);
  std::size_t pos = 0;
  for (;;) {
    if (pos < record.size() && record[pos] == '"') {
      std::string text;
      for (++pos;; ++pos) {
        if (pos >= record.size()) return false;
        if (record[pos] != '"') {
          text += record[pos];
        } else if (pos + 1 < record.size() && record[pos + 1] == '"') {
          text += '"';
          ++pos;
        } else {
          break;
        }
      }
      cells.push_back(text);
      ++pos;
      if (pos < record.size() && record[pos] != ',') return false;
    } else {
      std::size_t comma = record.find(',', pos);
      std::size_t end = comma == std::string_view::npos ? record.size() : comma;
      cells.emplace_back(record.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= record.size()) return true;
    if (++pos == record.size()) {
      cells.emplace_back();
      return true;
    }
  }
}

TEST_CASE("split_csv_cells agrees with a byte-at-a-time split on random records", "[decode][csv]") {
  std::mt19937 rng(20261208);
  // Mostly well-formed cells (as the portal writes them) with damage mixed in, across lengths
  // that cross 64-byte blocks.
  const std::string alphabet = "ab,\"\"\" \n\r{}:";
  std::vector<CsvCell> cells;
  std::vector<std::string> want;
  StringArena arena;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string record;
    if (trial % 2 == 0) {
      std::size_t length = std::uniform_int_distribution<std::size_t>(0, 300)(rng);
      for (std::size_t i = 0; i < length; ++i) {
        record += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
      }
    } else {
      int count = std::uniform_int_distribution<int>(1, 12)(rng);
      for (int c = 0; c < count; ++c) {
        if (c > 0) record += ',';
        std::size_t length = std::uniform_int_distribution<std::size_t>(0, 40)(rng);
        std::string text;
        for (std::size_t i = 0; i < length; ++i) {
          text += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
        }
        if (std::uniform_int_distribution<int>(0, 2)(rng) == 0 && text.find_first_of(",\"\n") == std::string::npos) {
          record += text;
        } else {
          record += '"';
          for (char ch : text) record += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          record += '"';
        }
      }
      if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) record += "\r\n";
    }
    INFO("trial " << trial << " record [" << record << "]");
    bool expected = reference_split(record, want);
    bool got = split_csv_cells(record, cells);
    REQUIRE(got == expected);
    if (!got) continue;
    REQUIRE(cells.size() == want.size());
    for (std::size_t i = 0; i < cells.size(); ++i) CHECK(csv_cell_text(cells[i], arena) == want[i]);
    arena.reset();
  }
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

TEST_CASE("split_csv_cells: a comma in the last byte of a 64-byte block", "[decode][csv]") {
  // 63 bytes, then the comma at offset 63, then a quoted cell in the next block.
  std::string record = std::string(63, 'a') + ",\"b\"\"c\"";
  std::vector<CsvCell> cells;
  StringArena arena;
  REQUIRE(split_csv_cells(record, cells));
  REQUIRE(cells.size() == 2);
  CHECK(cells[0].raw == std::string(63, 'a'));
  CHECK_FALSE(cells[0].doubled);
  CHECK(csv_cell_text(cells[1], arena) == "b\"c");
  // And a quoted first cell whose closing quote is byte 62: nothing after the comma is counted
  // into it.
  record = "\"" + std::string(61, 'x') + "\"," + "plain";
  REQUIRE(split_csv_cells(record, cells));
  REQUIRE(cells.size() == 2);
  CHECK(cells[0].raw == std::string(61, 'x'));
  CHECK_FALSE(cells[0].doubled);
  CHECK(cells[1].raw == "plain");
}

}  // namespace
}  // namespace kubeblame::decode
