// split_csv_record: RFC 4180 cells as the Azure portal writes them.
#include "kubeblame/decode/csv.h"

#include <catch2/catch.hpp>

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
