// JsonFramer: pretty and batched JSON documents become one record per line, with the input line
// each record starts on and the context (container, REST columns) it must be decoded with. Every
// document is framed at every read size from 1 to 17 bytes and every chunk size from 1 to 64
// bytes, and must give the same records as one big read.
#include "kubeblame/decode/json_framer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "../io/piece_source.h"

namespace kubeblame::decode {
namespace {

struct FramedRecord {
  std::string text;
  std::uint64_t line = 0;
  bool dropped = false;
  Container container = Container::kLines;
  std::vector<std::string> columns;
  bool operator==(const FramedRecord&) const = default;
};

std::ostream& operator<<(std::ostream& os, const FramedRecord& r) {
  return os << "{" << r.line << (r.dropped ? " dropped" : "") << " c"
            << static_cast<int>(r.container) << " cols " << r.columns.size() << ": " << r.text
            << "}";
}

struct FrameOptions {
  std::size_t read_size = 1 << 20;
  std::size_t chunk_size = 1 << 20;
  std::size_t max_record = 1 << 20;
  std::size_t piece = 1 << 20;
  std::uint64_t first_line = 1;
  std::optional<Container> top_array_container;
};

std::vector<FramedRecord> frame_all(const std::string& document, const FrameOptions& o = {}) {
  test::PieceSource source(document, o.piece);
  FramerOptions options;
  options.read_size = o.read_size;
  options.chunk_size = o.chunk_size;
  options.max_record = o.max_record;
  options.slack = 8;
  options.first_line = o.first_line;
  options.top_array_container = o.top_array_container;
  JsonFramer framer(source, options);
  io::Chunk chunk;
  std::shared_ptr<const InputContext> context;
  std::vector<FramedRecord> out;
  std::size_t chunks = 0;
  while (framer.next(chunk, context)) {
    REQUIRE(++chunks <= document.size() + 2);  // no endless loop
    REQUIRE(context);
    REQUIRE(context->column_ids.size() == context->columns.size());
    std::string text(chunk.data.get(), chunk.size);
    REQUIRE(std::string(chunk.data.get() + chunk.size, 8) == std::string(8, ' '));
    REQUIRE((text.empty() || text.back() == '\n'));
    std::size_t start = 0;
    std::size_t index = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
      REQUIRE(index < chunk.record_lines.size());
      FramedRecord r;
      r.text = text.substr(start, nl - start);
      r.line = chunk.record_lines[index];
      r.dropped = std::find(chunk.dropped_records.begin(), chunk.dropped_records.end(), index) !=
                  chunk.dropped_records.end();
      r.container = context->container;
      r.columns = context->columns;
      out.push_back(std::move(r));
      ++index;
    }
    REQUIRE(index == chunk.record_lines.size());
  }
  return out;
}

// The framing must not depend on how the input is read or chunked.
void check_invariant(const std::string& document, const std::vector<FramedRecord>& expected,
                     std::size_t max_record = 1 << 20,
                     std::optional<Container> top_array_container = std::nullopt) {
  FrameOptions reference;
  reference.max_record = max_record;
  reference.top_array_container = top_array_container;
  REQUIRE(frame_all(document, reference) == expected);
  for (std::size_t read_size = 1; read_size <= 17; ++read_size) {
    for (std::size_t chunk_size = 1; chunk_size <= 64; ++chunk_size) {
      FrameOptions o;
      o.read_size = read_size;
      o.chunk_size = chunk_size;
      o.max_record = max_record;
      o.top_array_container = top_array_container;
      o.piece = read_size % 3 == 0 ? 2 : 1 << 20;
      std::vector<FramedRecord> got = frame_all(document, o);
      if (got != expected) {
        INFO("read_size " << read_size << ", chunk_size " << chunk_size);
        REQUIRE(got == expected);
      }
    }
  }
}

FramedRecord rec(std::string text, std::uint64_t line, Container container,
                 std::vector<std::string> columns = {}) {
  return {std::move(text), line, false, container, std::move(columns)};
}

TEST_CASE("JsonFramer: a pretty az -o json array, one record per element", "[decode][framer]") {
  const std::string doc =
      "[\n"
      "  {\n"
      "    \"TableName\": \"PrimaryResult\",\n"
      "    \"Verb\": \"get\",\n"
      "    \"User\": \"{\\\"username\\\":\\\"a\\\"}\"\n"
      "  },\n"
      "  {\n"
      "    \"Verb\": \"list\",\n"
      "    \"Note\": \"brackets ] } [ { , : and \\\\\\\"quotes\\\\\\\" in a string\"\n"
      "  }\n"
      "]\n";
  check_invariant(
      doc, {rec("{     \"TableName\": \"PrimaryResult\",     \"Verb\": \"get\",     \"User\": "
                "\"{\\\"username\\\":\\\"a\\\"}\"   }",
                2, Container::kJsonArray),
            rec("{     \"Verb\": \"list\",     \"Note\": \"brackets ] } [ { , : and "
                "\\\\\\\"quotes\\\\\\\" in a string\"   }",
                7, Container::kJsonArray)});
}

TEST_CASE("JsonFramer: arrays of events and of scalars, CRLF line ends", "[decode][framer]") {
  check_invariant("[{\"verb\":\"get\"},\r\n {\"verb\":\"list\"}]",
                  {rec("{\"verb\":\"get\"}", 1, Container::kJsonArray),
                   rec("{\"verb\":\"list\"}", 2, Container::kJsonArray)});
  check_invariant("[1, \"two\", true,\nnull, [3]]",
                  {rec("1", 1, Container::kJsonArray), rec("\"two\"", 1, Container::kJsonArray),
                   rec("true", 1, Container::kJsonArray), rec("null", 2, Container::kJsonArray),
                   rec("[3]", 2, Container::kJsonArray)});
  check_invariant("[]\n", {});
}

TEST_CASE("JsonFramer: an EventList's items", "[decode][framer]") {
  const std::string doc =
      "{\n"
      "  \"kind\": \"EventList\",\n"
      "  \"apiVersion\": \"audit.k8s.io/v1\",\n"
      "  \"metadata\": {},\n"
      "  \"items\": [\n"
      "    {\"kind\": \"Event\", \"verb\": \"get\"},\n"
      "    {\"kind\": \"Event\",\n"
      "     \"verb\": \"list\"}\n"
      "  ]\n"
      "}\n";
  check_invariant(doc, {rec("{\"kind\": \"Event\", \"verb\": \"get\"}", 6, Container::kEventList),
                        rec("{\"kind\": \"Event\",      \"verb\": \"list\"}", 7,
                            Container::kEventList)});
}

TEST_CASE("JsonFramer: an Event Hub batch's records", "[decode][framer]") {
  check_invariant("{\"records\": [{\"category\":\"kube-audit\"}, {\"category\":\"guard\"}]}",
                  {rec("{\"category\":\"kube-audit\"}", 1, Container::kRecords),
                   rec("{\"category\":\"guard\"}", 1, Container::kRecords)});
}

TEST_CASE("JsonFramer: REST tables carry their columns", "[decode][framer]") {
  const std::string doc =
      "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":"
      "\"datetime\"},{\"name\":\"Verb\",\"type\":\"string\"}],\n"
      "\"rows\":[[\"2025-02-25T09:19:25Z\",\"get\"],\n[\"2025-02-25T09:19:26Z\",\"list\"]]},\n"
      "{\"name\":\"Second\",\"columns\":[{\"name\":\"log_s\",\"type\":\"string\"}],"
      "\"rows\":[[\"{\\\"verb\\\":\\\"x\\\"}\"]]}],\n"
      "\"error\":{\"code\":\"PartialError\"}}\n";
  const std::vector<std::string> first{"TimeGenerated", "Verb"};
  const std::vector<std::string> second{"log_s"};
  check_invariant(doc, {rec("[\"2025-02-25T09:19:25Z\",\"get\"]", 2, Container::kRestRows, first),
                        rec("[\"2025-02-25T09:19:26Z\",\"list\"]", 3, Container::kRestRows, first),
                        rec("[\"{\\\"verb\\\":\\\"x\\\"}\"]", 4, Container::kRestRows, second)});

  // The column ids are resolved once for the whole table.
  test::PieceSource source(doc, 1 << 20);
  JsonFramer framer(source, FramerOptions{});
  io::Chunk chunk;
  std::shared_ptr<const InputContext> context;
  REQUIRE(framer.next(chunk, context));
  CHECK(context->column_ids == std::vector<Column>{Column::kTimeGenerated, Column::kVerb});
}

TEST_CASE("JsonFramer: top-level objects, concatenated or pretty", "[decode][framer]") {
  check_invariant("{\n  \"kind\": \"Event\",\n  \"verb\": \"get\"\n}\n",
                  {rec("{   \"kind\": \"Event\",   \"verb\": \"get\" }", 1, Container::kLines)});
  check_invariant("{\"a\":1}\n{\"b\":{\"c\":[2]}}{\"d\":3}\n\n  {\"e\":\n4}",
                  {rec("{\"a\":1}", 1, Container::kLines), rec("{\"b\":{\"c\":[2]}}", 2, Container::kLines),
                   rec("{\"d\":3}", 2, Container::kLines), rec("{\"e\": 4}", 4, Container::kLines)});
}

TEST_CASE("JsonFramer: stray text at top level becomes one record", "[decode][framer]") {
  check_invariant("{\"a\":1}\nthis is not json\n{\"b\":2}\n",
                  {rec("{\"a\":1}", 1, Container::kLines), rec("this is not json", 2, Container::kLines),
                   rec("{\"b\":2}", 3, Container::kLines)});
}

TEST_CASE("JsonFramer: a truncated document ends with its partial record", "[decode][framer]") {
  check_invariant("[{\"verb\":\"get\"},\n{\"verb\":\"li",
                  {rec("{\"verb\":\"get\"}", 1, Container::kJsonArray),
                   rec("{\"verb\":\"li", 2, Container::kJsonArray)});
}

TEST_CASE("JsonFramer: a record over max_record is dropped, leaving a placeholder",
          "[decode][framer]") {
  const std::string big = "{\"big\":\"" + std::string(60, 'x') + "\"}";
  const std::string doc = "[{\"small\":1},\n" + big + ",\n{\"after\":2}]";
  FramedRecord dropped = rec("", 2, Container::kJsonArray);
  dropped.dropped = true;
  check_invariant(doc,
                  {rec("{\"small\":1}", 1, Container::kJsonArray), dropped,
                   rec("{\"after\":2}", 3, Container::kJsonArray)},
                  40);
}

TEST_CASE("JsonFramer: line numbers start at first_line", "[decode][framer]") {
  FrameOptions o;
  o.first_line = 10;
  std::vector<FramedRecord> records = frame_all("[\n{\"a\":1},\n{\"b\":2}\n]", o);
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 11);
  CHECK(records[1].line == 12);
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

TEST_CASE("JsonFramer: records before a read error are handed out, then the error is raised",
          "[decode][framer][hostile]") {
  // A pretty az -o json export cut by a read error inside its third row.
  const std::string text = "[\n  {\"Verb\": \"get\"},\n  {\"Verb\": \"list\"},\n  {\"Verb\": \"wa";
  for (std::size_t chunk_size : {std::size_t{1}, std::size_t{20}, std::size_t{1} << 20}) {
    for (std::size_t piece : {std::size_t{3}, std::size_t{1} << 20}) {
      INFO("chunk " << chunk_size << ", piece " << piece);
      test::FailingSource source(text, piece, "export.json.gz: gzip data is truncated");
      FramerOptions options;
      options.chunk_size = chunk_size;
      options.read_size = 16;
      JsonFramer framer(source, options);
      io::Chunk chunk;
      std::shared_ptr<const InputContext> context;
      std::string records;
      std::string error;
      try {
        while (framer.next(chunk, context)) records.append(chunk.data.get(), chunk.size);
      } catch (const io::IoError& e) {
        error = e.what();
      }
      // The cut third row is a record too: it is counted (as truncated) downstream.
      CHECK(records == "{\"Verb\": \"get\"}\n{\"Verb\": \"list\"}\n{\"Verb\": \"wa\n");
      CHECK(error == "export.json.gz: gzip data is truncated");
    }
  }
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// Frames all of `document` and returns the framer's api_error(), checking the rows on the way.
std::string api_error_of(const std::string& document, std::size_t piece, std::size_t chunk_size,
                         std::size_t expected_rows) {
  test::PieceSource source(document, piece);
  FramerOptions options;
  options.chunk_size = chunk_size;
  options.read_size = 64;
  JsonFramer framer(source, options);
  io::Chunk chunk;
  std::shared_ptr<const InputContext> context;
  std::size_t rows = 0;
  while (framer.next(chunk, context)) rows += chunk.record_lines.size();
  CHECK(rows == expected_rows);
  return framer.api_error();
}

const char* const kPartialResponse = R"json({"tables":[{"name":"PrimaryResult",
  "columns":[{"name":"Verb","type":"string"},{"name":"UserAgent","type":"string"}],
  "rows":[["get","kubectl"],
          ["list","kubelet"]]}],
 "error":{"code":"PartialError","message":"There were some errors when processing your query.",
  "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",
    "innererror":{"code":"-2133196794","message":"Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)"}}]}}
)json";

TEST_CASE("JsonFramer: a REST response's PartialError member is kept, whatever the reads",
          "[decode][framer]") {
  const std::string expected =
      "PartialError: There were some errors when processing your query. (Query result set has "
      "exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see "
      "https://aka.ms/kustoquerylimits))";
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{1} << 20}) {
    for (std::size_t chunk_size : {std::size_t{1}, std::size_t{1} << 20}) {
      INFO("piece " << piece << ", chunk " << chunk_size);
      CHECK(api_error_of(kPartialResponse, piece, chunk_size, 2) == expected);
    }
  }
}

TEST_CASE("JsonFramer: no error member, or one that is not a REST error, gives no api_error",
          "[decode][framer]") {
  CHECK(api_error_of(R"({"tables":[{"name":"t","columns":[{"name":"Verb"}],"rows":[["get"]]}]})", 5, 64, 1)
            .empty());
  // A string "error" is not the API's error object.
  CHECK(api_error_of(R"({"tables":[{"name":"t","columns":[{"name":"Verb"}],"rows":[["get"]]}],"error":"x"})",
                     5, 64, 1)
            .empty());
  // An audit event (a record) with an "error" key is just a record.
  CHECK(api_error_of(R"({"kind":"Event","error":{"code":"PartialError"}})", 3, 64, 1).empty());
  // An error object without code or message still says that there was one.
  CHECK(api_error_of(R"({"tables":[],"error":{"details":[]}})", 3, 64, 0) == "an error");
}

TEST_CASE("JsonFramer: a huge or hostile error member is cut, never held whole", "[decode][framer][hostile]") {
  // 3 MiB of message: more than the capture bound, so the text does not parse and only the fact
  // that there was an error is kept.
  std::string huge = R"({"tables":[],"error":{"code":"PartialError","message":")" +
                     std::string(3 << 20, 'x') + R"("}})";
  CHECK(api_error_of(huge, 1 << 16, 1 << 20, 0) == "an error");
  // A long message with multi-byte characters is cut at 500 bytes on a character boundary.
  std::string long_message;
  for (int i = 0; i < 400; ++i) long_message += "\xC3\xA9";  // é
  std::string doc = R"({"tables":[],"error":{"code":"PartialError","message":")" + long_message + R"("}})";
  std::string got = api_error_of(doc, 1 << 16, 1 << 20, 0);
  REQUIRE(got.size() <= 503);
  CHECK(got.starts_with("PartialError: \xC3\xA9"));
  CHECK(got.ends_with("\xC3\xA9..."));
}

TEST_CASE("JsonFramer: CloudWatch filter-log-events, its events are the records",
          "[decode][framer][cloudwatch]") {
  const std::string doc =
      "{\n"
      "    \"events\": [\n"
      "        {\n"
      "            \"logStreamName\": \"kube-apiserver-audit-1\",\n"
      "            \"message\": \"{\\\"verb\\\":\\\"get\\\"}\"\n"
      "        },\n"
      "        {\"timestamp\": 2, \"message\": \"]}[{\"}\n"
      "    ],\n"
      "    \"searchedLogStreams\": [{\"logStreamName\": \"x\"}],\n"
      "    \"nextToken\": \"abc\"\n"
      "}\n";
  check_invariant(
      doc, {rec("{             \"logStreamName\": \"kube-apiserver-audit-1\",             "
                "\"message\": \"{\\\"verb\\\":\\\"get\\\"}\"         }",
                3, Container::kCwlEvents),
            rec("{\"timestamp\": 2, \"message\": \"]}[{\"}", 7, Container::kCwlEvents)});
}

TEST_CASE("JsonFramer: subscription documents back to back (}{), logEvents are the records",
          "[decode][framer][cloudwatch]") {
  const std::string doc =
      "{\"messageType\":\"CONTROL_MESSAGE\",\"logEvents\":[{\"id\":\"\",\"message\":\"CWL\"}]}"
      "{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logEvents\":[{\"id\":\"1\"},"
      "{\"id\":\"2\",\"message\":\"}{\"}]}"
      "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"3\"}]}";
  check_invariant(doc, {rec("{\"id\":\"\",\"message\":\"CWL\"}", 1, Container::kCwlLogEvents),
                        rec("{\"id\":\"1\"}", 1, Container::kCwlLogEvents),
                        rec("{\"id\":\"2\",\"message\":\"}{\"}", 1, Container::kCwlLogEvents),
                        rec("{\"id\":\"3\"}", 1, Container::kCwlLogEvents)});
  // Plain objects back to back are records of their own too.
  check_invariant("{\"verb\":\"get\"}{\"verb\":\"list\"}\n{\"verb\":\"watch\"}",
                  {rec("{\"verb\":\"get\"}", 1, Container::kLines),
                   rec("{\"verb\":\"list\"}", 1, Container::kLines),
                   rec("{\"verb\":\"watch\"}", 2, Container::kLines)});
}

TEST_CASE("JsonFramer: get-query-results rows, and a bare row as one record",
          "[decode][framer][cloudwatch]") {
  const std::string doc =
      "{\n"
      "    \"results\": [\n"
      "        [\n"
      "            {\"field\": \"@timestamp\", \"value\": \"2025-02-25 08:00:00.309\"},\n"
      "            {\"field\": \"@message\", \"value\": \"{}\"}\n"
      "        ],\n"
      "        [{\"field\": \"@message\", \"value\": \"[\"}]\n"
      "    ],\n"
      "    \"statistics\": {\"recordsMatched\": 2.0},\n"
      "    \"status\": \"Complete\"\n"
      "}\n";
  check_invariant(
      doc, {rec("[             {\"field\": \"@timestamp\", \"value\": \"2025-02-25 08:00:00.309\"},"
                "             {\"field\": \"@message\", \"value\": \"{}\"}         ]",
                3, Container::kQueryRows),
            rec("[{\"field\": \"@message\", \"value\": \"[\"}]", 7, Container::kQueryRows)});
  check_invariant("[\n  {\"field\": \"@message\", \"value\": \"{}\"},\n  {\"field\": \"@log\"}\n]\n",
                  {rec("[   {\"field\": \"@message\", \"value\": \"{}\"},   {\"field\": \"@log\"} ]",
                       1, Container::kQueryRows)},
                  1 << 20, Container::kQueryRows);
}

}  // namespace
}  // namespace kubeblame::decode
