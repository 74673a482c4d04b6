// LineChunker: every chunk size from one byte up, every read size, against the input's lines.
#include "kubeblame/io/line_chunker.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "piece_source.h"

namespace kubeblame::io {
namespace {

using test::PieceSource;

struct ChunkCopy {
  std::string text;
  std::uint64_t first_line = 0;
  std::vector<std::uint32_t> dropped;
  bool slack_is_spaces = true;
  std::vector<std::size_t> newlines;  // Chunk::newlines
};

// Runs the chunker to the end, reusing one Chunk like the pipeline does.
std::vector<ChunkCopy> chunk_all(const std::string& input, ChunkerOptions options,
                                 std::size_t piece) {
  PieceSource source(input, piece);
  LineChunker chunker(source, options);
  Chunk chunk;
  std::vector<ChunkCopy> out;
  while (chunker.next(chunk)) {
    ChunkCopy copy;
    copy.text.assign(chunk.data.get(), chunk.size);
    copy.first_line = chunk.first_line;
    copy.dropped = chunk.dropped_records;
    copy.newlines = chunk.newlines;
    REQUIRE(chunk.slack == options.slack);
    REQUIRE(chunk.record_lines.empty());
    for (std::size_t i = 0; i < chunk.slack; ++i) {
      if (chunk.data[chunk.size + i] != ' ') copy.slack_is_spaces = false;
    }
    out.push_back(std::move(copy));
    REQUIRE(out.size() <= input.size() + 1);  // no endless loop
  }
  REQUIRE_FALSE(chunker.next(chunk));  // stays exhausted
  return out;
}

std::size_t newlines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// The invariants for inputs without over-long lines: the chunks are the input, cut after
// newlines, numbered by the lines before them, padded with spaces.
void check_whole_lines(const std::string& input, std::size_t chunk_size, std::size_t piece,
                       bool quote_aware = false) {
  ChunkerOptions options;
  options.chunk_size = chunk_size;
  options.slack = 16;
  options.quote_aware = quote_aware;
  std::vector<ChunkCopy> chunks = chunk_all(input, options, piece);
  std::string joined;
  bool ok = true;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const ChunkCopy& c = chunks[i];
    if (c.text.empty() || !c.dropped.empty() || !c.slack_is_spaces) ok = false;
    if (c.first_line != 1 + newlines(joined)) ok = false;
    if (i + 1 < chunks.size() && c.text.back() != '\n') ok = false;
    if (quote_aware && std::count(c.text.begin(), c.text.end(), '"') % 2 != 0) ok = false;
    joined += c.text;
  }
  INFO("chunk_size " << chunk_size << ", piece " << piece);
  REQUIRE(ok);
  REQUIRE(joined == input);
  REQUIRE(split_lines(joined) == split_lines(input));
}

const std::size_t kPieces[] = {1, 2, 3, 4, 5, 6, 7, 64, 4096};

TEST_CASE("LineChunker gives back the input lines at every chunk and read size", "[io]") {
  const std::string input =
      "{\"verb\":\"get\"}\n\nsecond line, a little longer than the others\nx\n"
      "{\"final\":\"no newline\"}";
  for (std::size_t chunk_size = 1; chunk_size <= input.size() + 3; ++chunk_size) {
    for (std::size_t piece : kPieces) check_whole_lines(input, chunk_size, piece);
  }
}

TEST_CASE("LineChunker keeps a trailing newline and CRLF line ends", "[io]") {
  const std::string input = "a\r\nbb\r\n\r\nccc\r\n";
  for (std::size_t chunk_size = 1; chunk_size <= input.size() + 1; ++chunk_size) {
    for (std::size_t piece : kPieces) check_whole_lines(input, chunk_size, piece);
  }
  ChunkerOptions options;
  std::vector<ChunkCopy> chunks = chunk_all(input, options, 3);
  REQUIRE(chunks.size() == 1);
  REQUIRE(chunks[0].text == input);
  REQUIRE(split_lines(chunks[0].text) == std::vector<std::string>{"a\r", "bb\r", "\r", "ccc\r"});
}

TEST_CASE("LineChunker: empty input yields no chunk", "[io]") {
  ChunkerOptions options;
  REQUIRE(chunk_all("", options, 1).empty());
}

TEST_CASE("LineChunker: one chunk holds several lines when it fits", "[io]") {
  ChunkerOptions options;
  options.chunk_size = 8;
  std::vector<ChunkCopy> chunks = chunk_all("ab\ncd\nef\ngh\n", options, 100);
  REQUIRE(chunks.size() == 2);
  REQUIRE(chunks[0].text == "ab\ncd\n");
  REQUIRE(chunks[0].first_line == 1);
  REQUIRE(chunks[1].text == "ef\ngh\n");
  REQUIRE(chunks[1].first_line == 3);
}

// Collects the records as the worker sees them: one per line, a dropped one as "<dropped>".
std::vector<std::string> records_of(const std::vector<ChunkCopy>& chunks, std::size_t& dropped,
                                    std::vector<std::uint64_t>& record_lines) {
  std::vector<std::string> records;
  for (const ChunkCopy& c : chunks) {
    std::vector<std::string> lines = split_lines(c.text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      bool is_dropped = std::find(c.dropped.begin(), c.dropped.end(), i) != c.dropped.end();
      if (is_dropped) {
        ++dropped;
        CHECK(lines[i].empty());
      }
      records.push_back(is_dropped ? "<dropped>" : lines[i]);
      record_lines.push_back(c.first_line + i);
    }
  }
  return records;
}

TEST_CASE("LineChunker replaces a line longer than max_line by one counted placeholder", "[io]") {
  const std::string long_line(40, 'x');
  struct Case {
    std::string input;
    std::vector<std::string> records;
  };
  const Case cases[] = {
      {"short\n" + long_line + "\nafter\n", {"short", "<dropped>", "after"}},
      {long_line + "\nafter", {"<dropped>", "after"}},
      {"short\n" + long_line, {"short", "<dropped>"}},
      {"a\n" + long_line + "\n" + long_line + "\nb\n", {"a", "<dropped>", "<dropped>", "b"}},
  };
  for (const Case& c : cases) {
    for (std::size_t chunk_size = 1; chunk_size <= 16; ++chunk_size) {
      for (std::size_t piece : kPieces) {
        ChunkerOptions options;
        options.chunk_size = chunk_size;
        options.max_line = 16;
        std::size_t dropped = 0;
        std::vector<std::uint64_t> lines;
        std::vector<std::string> records =
            records_of(chunk_all(c.input, options, piece), dropped, lines);
        INFO("input " << c.input << ", chunk_size " << chunk_size << ", piece " << piece);
        REQUIRE(records == c.records);
        REQUIRE(dropped == static_cast<std::size_t>(
                               std::count(c.records.begin(), c.records.end(), "<dropped>")));
        for (std::size_t i = 0; i < lines.size(); ++i) REQUIRE(lines[i] == i + 1);
      }
    }
  }
}

TEST_CASE("LineChunker drops an over-long line whatever the chunk size", "[io][regression]") {
  // A chunk bigger than max_line must not let a long line through when it happens to fit.
  const std::string input = "short\n" + std::string(40, 'x') + "\nafter\n";
  for (std::size_t chunk_size : {16, 17, 32, 64, 1024}) {
    ChunkerOptions options;
    options.chunk_size = chunk_size;
    options.max_line = 16;
    std::size_t dropped = 0;
    std::vector<std::uint64_t> lines;
    std::vector<std::string> records = records_of(chunk_all(input, options, 4096), dropped, lines);
    INFO("chunk_size " << chunk_size);
    REQUIRE(records == std::vector<std::string>{"short", "<dropped>", "after"});
    REQUIRE(dropped == 1);
  }
}

TEST_CASE("LineChunker keeps a line just under max_line", "[io]") {
  const std::string line(15, 'y');  // 15 bytes + newline = max_line
  ChunkerOptions options;
  options.chunk_size = 4;
  options.max_line = 16;
  std::size_t dropped = 0;
  std::vector<std::uint64_t> lines;
  std::vector<std::string> records =
      records_of(chunk_all(line + "\n" + line + "\n", options, 3), dropped, lines);
  REQUIRE(records == std::vector<std::string>{line, line});
  REQUIRE(dropped == 0);
}

TEST_CASE("LineChunker shrinks a buffer grown by one long line", "[io]") {
  std::string input = std::string(100, 'z') + "\n";
  for (int i = 0; i < 40; ++i) input += "abc\n";
  PieceSource source(input, 4096);
  ChunkerOptions options;
  options.chunk_size = 8;
  LineChunker chunker(source, options);
  Chunk chunk;
  REQUIRE(chunker.next(chunk));
  REQUIRE(chunk.capacity == 128);  // 8, doubled until the long line fits
  REQUIRE(std::string(chunk.data.get(), 101) == std::string(100, 'z') + "\n");
  std::size_t lines_before = newlines(std::string(chunk.data.get(), chunk.size));
  REQUIRE(chunker.next(chunk));
  REQUIRE(chunk.capacity == 8);
  REQUIRE(std::string(chunk.data.get(), chunk.size) == "abc\nabc\n");
  REQUIRE(chunk.first_line == 1 + lines_before);
}

TEST_CASE("LineChunker in quote-aware mode keeps quoted CSV cells with newlines together", "[io]") {
  const std::string input =
      "h1,h2\n\"a\nb\",c\n\"x\"\"y\",\"multi\nline\ncell\"\nlast,\"q\"";
  for (std::size_t chunk_size = 1; chunk_size <= input.size() + 2; ++chunk_size) {
    for (std::size_t piece : kPieces) check_whole_lines(input, chunk_size, piece, true);
  }
  ChunkerOptions options;
  options.chunk_size = 1;
  options.quote_aware = true;
  std::vector<ChunkCopy> chunks = chunk_all(input, options, 2);
  REQUIRE(chunks.size() == 4);
  REQUIRE(chunks[1].text == "\"a\nb\",c\n");
  REQUIRE(chunks[1].first_line == 2);
  REQUIRE(chunks[2].text == "\"x\"\"y\",\"multi\nline\ncell\"\n");
  REQUIRE(chunks[2].first_line == 4);
  REQUIRE(chunks[3].first_line == 7);

  // Without quote awareness the same input is cut inside a quoted cell.
  options.quote_aware = false;
  options.chunk_size = 16;
  chunks = chunk_all(input, options, 2);
  REQUIRE(chunks[1].text == "\"x\"\"y\",\"multi\n");  // five quotes: cut inside a cell
}

// Splits chunks into CSV records (newlines inside quotes do not end one), as the worker does.
std::vector<std::pair<std::uint64_t, std::string>> csv_records(const std::vector<ChunkCopy>& chunks) {
  std::vector<std::pair<std::uint64_t, std::string>> records;
  for (const ChunkCopy& c : chunks) {
    std::uint64_t line = c.first_line;
    std::string current;
    bool quoted = false;
    std::uint32_t index = 0;
    for (char ch : c.text) {
      if (ch == '"') quoted = !quoted;
      if (ch != '\n' || quoted) {
        current.push_back(ch);
        continue;
      }
      bool dropped = std::find(c.dropped.begin(), c.dropped.end(), index) != c.dropped.end();
      records.emplace_back(line, dropped ? "<dropped>" : current);
      line += 1 + static_cast<std::uint64_t>(std::count(current.begin(), current.end(), '\n'));
      current.clear();
      ++index;
    }
    if (!current.empty()) records.emplace_back(line, current);
  }
  return records;
}

TEST_CASE("LineChunker drops an over-long quoted CSV record whole", "[io][regression]") {
  // The dropped record spans lines 2-4; the records after it keep their place and numbering.
  const std::string input =
      "a,b\n\"xxxxx\nyyyyyyyyyyyyyyyyyy\nzz\",c\nlast,\"q\"\n\"m\nn\",2\nend,3\n";
  const std::vector<std::pair<std::uint64_t, std::string>> expected{
      {1, "a,b"}, {2, "<dropped>"}, {5, "last,\"q\""}, {6, "\"m\nn\",2"}, {8, "end,3"}};
  for (std::size_t chunk_size = 1; chunk_size <= 16; ++chunk_size) {
    for (std::size_t piece : kPieces) {
      ChunkerOptions options;
      options.chunk_size = chunk_size;
      options.max_line = 16;
      options.quote_aware = true;
      INFO("chunk_size " << chunk_size << ", piece " << piece);
      REQUIRE(csv_records(chunk_all(input, options, piece)) == expected);
    }
  }
}

// The offsets of the newlines outside quotes, a byte at a time.
std::vector<std::size_t> record_ends(const std::string& text) {
  std::vector<std::size_t> ends;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n' && !quoted) ends.push_back(i);
  }
  return ends;
}

TEST_CASE("LineChunker hands quote-aware chunks their record ends, at every chunk size", "[io]") {
  // Records longer and shorter than the 64-byte blocks the cut is found with; quoted cells with
  // newlines, doubled quotes and commas across block boundaries; a last record without newline.
  std::string input = "TimeGenerated,AuditId,ObjectRef,Verb\n";
  for (int i = 0; i < 12; ++i) {
    std::string cell(static_cast<std::size_t>(7 * i + 3), static_cast<char>('a' + i));
    input += "2025-02-25," + std::to_string(i) + ",\"{\"\"resource\"\":\"\"" + cell +
             "\"\",\n\"\"n\"\":1}\"," + (i % 3 == 0 ? "\"multi\nline\n\"\"verb\"\"\"" : "get") +
             "\n";
  }
  input += "last,\"no newline\"";
  for (std::size_t chunk_size = 1; chunk_size <= input.size() + 2; ++chunk_size) {
    for (std::size_t piece : {1, 5, 64, 4096}) {
      check_whole_lines(input, chunk_size, piece, true);
      ChunkerOptions options;
      options.chunk_size = chunk_size;
      options.quote_aware = true;
      for (const ChunkCopy& c : chunk_all(input, options, piece)) {
        INFO("chunk_size " << chunk_size << ", piece " << piece << ", chunk [" << c.text << "]");
        REQUIRE(c.newlines == record_ends(c.text));
      }
    }
  }
}

TEST_CASE("PeekableSource: peek then read returns the whole stream", "[io]") {
  const std::string data = "0123456789abcdefghij";
  for (std::size_t piece : {1, 3, 7, 100}) {
    for (std::size_t peek : {0, 1, 5, 20, 50}) {
      PeekableSource source(std::make_unique<PieceSource>(data, piece));
      std::string_view head = source.peek(peek);
      REQUIRE(head == std::string_view(data).substr(0, peek));
      REQUIRE(source.peek(peek) == head);  // peeking again does not consume
      std::string all;
      char buffer[4];
      for (std::size_t n; (n = source.read(buffer, sizeof(buffer))) > 0;) all.append(buffer, n);
      INFO("piece " << piece << ", peek " << peek);
      REQUIRE(all == data);
    }
  }
}

TEST_CASE("PeekableSource: a longer second peek extends the first", "[io]") {
  PeekableSource source(std::make_unique<PieceSource>("hello world", 2));
  REQUIRE(source.peek(3) == "hel");
  REQUIRE(source.peek(8) == "hello wo");
  char buffer[32];
  std::size_t n = source.read(buffer, sizeof(buffer));
  REQUIRE(std::string(buffer, n) == "hello wo");
  n = source.read(buffer, sizeof(buffer));
  REQUIRE(std::string(buffer, n) == "rl");
}

}  // namespace
}  // namespace kubeblame::io
