// Hostile strings through the real top pipeline (file -> decode -> aggregate -> report) and every
// renderer: no control character reaches a terminal, invalid UTF-8 becomes U+FFFD, JSON stays
// valid and round-trips, markdown and CSV cannot be hijacked. The input file's own name is
// hostile too (it appears in the footer and in skip samples).
#include <simdjson.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {
namespace {

namespace fs = std::filesystem;

const std::string kFffd = "\xEF\xBF\xBD";

// User agents as JSON string bodies (what is written to the file) and as kubeblame must decode
// them: JSON escapes resolved, each invalid UTF-8 byte replaced by U+FFFD.
struct Hostile {
  std::string json;
  std::string decoded;
};

const std::vector<Hostile>& hostile_agents() {
  static const std::vector<Hostile> agents = {
      {"evil\\u001b[31mred\\u0007bell\\rcr\\bbs\\u202eRTL\xFF\xFE|pipe`tick`\xED\xA0\x80"
       "\\u0085nel\\u009b[2J\\u007fdel\\nnewline",
       "evil\x1b[31mred\x07"
       "bell\rcr\bbs\xE2\x80\xAERTL" +
           kFffd + kFffd + "|pipe`tick`" + kFffd + kFffd + kFffd +
           "\xC2\x85nel\xC2\x9B[2J\x7F"
           "del\nnewline"},
      {"=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"},
      {"+1+1", "+1+1"},
      {"-2-2", "-2-2"},
      {"@SUM(A1)", "@SUM(A1)"},
      {"\\tTAB", "\tTAB"},
      {"# heading", "# heading"},
      {"> quote", "> quote"},
      {"\\r=carriage", "\r=carriage"},
      {"plain/1.0", "plain/1.0"},
  };
  return agents;
}

const char* const kHostileName = "web\\u001b]0;pwned\\u0007-\\u200bzero|`x`";
const std::string kHostileNameDecoded = "web\x1b]0;pwned\x07-\xE2\x80\x8Bzero|`x`";

struct Rendered {
  TopReport report;
  std::map<OutputFormat, std::string> text;
  fs::path dir;
  std::string file;
};

Rendered run_hostile() {
  Rendered out;
  out.dir = fs::temp_directory_path() / ("kubeblame-escape-" + std::to_string(::getpid()));
  fs::create_directories(out.dir);
  // The file name itself: ESC, a pipe, a backtick and a newline.
  out.file = (out.dir / "audit\x1b[2J|`\n.log").string();
  {
    std::ofstream f(out.file, std::ios::binary);
    const auto& agents = hostile_agents();
    for (std::size_t i = 0; i < agents.size(); ++i) {
      for (std::size_t k = 0; k <= i; ++k) {  // agent i has i + 1 requests: a strict ranking
        f << R"({"kind":"Event","stage":"ResponseComplete","verb":"get","userAgent":")"
          << agents[i].json << R"(","objectRef":{"resource":"pods","namespace":"default","name":")"
          << kHostileName << R"("},"responseStatus":{"code":200}})" << "\n";
      }
    }
    f << "{\"kind\":\"Event\",\"verb\":\x1b[31m}\n";  // malformed: a skip sample names the file
  }
  pipeline::PipelineOptions options;
  options.inputs = {out.file};
  options.plan.groupings.push_back({analyze::Dimension::kUserAgent, analyze::Dimension::kName});
  pipeline::RunResult result = pipeline::run(options);
  REQUIRE(result.errors.empty());
  InputSummary input = build_input_summary(result.merged->stats(), options.inputs);
  out.report = build_top(result.merged->tables()[0], input, SortKey::kRequests, 0);
  for (OutputFormat format :
       {OutputFormat::kTable, OutputFormat::kMarkdown, OutputFormat::kJson, OutputFormat::kCsv}) {
    RenderOptions render_options;
    render_options.color = false;
    out.text[format] = render_top(out.report, format, render_options);
  }
  fs::remove_all(out.dir);
  return out;
}

const Rendered& rendered() {
  static const Rendered r = run_hostile();
  return r;
}

// Bytes below 0x20 other than those allowed, and DEL.
std::string controls_in(std::string_view text, std::string_view allowed) {
  std::string found;
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 || b == 0x7F) && allowed.find(c) == std::string_view::npos) found.push_back(c);
  }
  return found;
}

bool has_c1_or_bidi(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    auto a = static_cast<unsigned char>(text[i]);
    auto b = static_cast<unsigned char>(text[i + 1]);
    if (a == 0xC2 && b >= 0x80 && b <= 0x9F) return true;  // U+0080..U+009F
    if (a == 0xE2 && b == 0x80 && i + 2 < text.size()) {
      auto c = static_cast<unsigned char>(text[i + 2]);
      if ((c >= 0x8B && c <= 0x8F) || (c >= 0xAA && c <= 0xAE)) return true;  // ZW*, LRE..RLO
    }
  }
  return false;
}

TEST_CASE("hostile input: the pipeline decodes it and keeps count", "[escape]") {
  const Rendered& r = rendered();
  CHECK(r.report.input.lines == 56);
  CHECK(r.report.input.decoded == 55);
  CHECK(r.report.input.requests == 55);
  REQUIRE(r.report.input.skipped.size() == 1);
  CHECK(r.report.input.skipped[0] == std::pair<std::string, std::uint64_t>{"malformed_json", 1});
  REQUIRE(r.report.rows.size() == hostile_agents().size());
  // Ranked by requests: the last agent (10 requests) first.
  for (std::size_t i = 0; i < r.report.rows.size(); ++i) {
    const auto& agent = hostile_agents()[hostile_agents().size() - 1 - i];
    INFO(i);
    CHECK(r.report.rows[i].key.at(0) == agent.decoded);
    CHECK(r.report.rows[i].key.at(1) == kHostileNameDecoded);
    CHECK(r.report.rows[i].metrics.requests == hostile_agents().size() - i);
  }
}

TEST_CASE("hostile input: no control character reaches the terminal table", "[escape]") {
  const std::string& table = rendered().text.at(OutputFormat::kTable);
  CHECK(controls_in(table, "\n").empty());
  CHECK_FALSE(has_c1_or_bidi(table));
  CHECK(simdjson::validate_utf8(table.data(), table.size()));
  // The controls are shown as visible escapes, invalid bytes as U+FFFD (the table may cut long
  // cells, so look for the first ones).
  CHECK(table.find("evil\\x1b[31mred\\x07bell\\x0dcr\\x08bs\\u202eRTL" + kFffd + kFffd) !=
        std::string::npos);
  CHECK(table.find("web\\x1b]0;pwned\\x07-\\u200bzero|`x`") != std::string::npos);
  CHECK(table.find("\\x09TAB") != std::string::npos);
  CHECK(table.find("audit\\x1b[2J|`\\x0a.log") != std::string::npos);  // the file name
}

TEST_CASE("hostile input: markdown escapes controls, pipes, backticks and leading # and >",
          "[escape]") {
  const std::string& md = rendered().text.at(OutputFormat::kMarkdown);
  CHECK(controls_in(md, "\n").empty());
  CHECK_FALSE(has_c1_or_bidi(md));
  CHECK(simdjson::validate_utf8(md.data(), md.size()));
  CHECK(md.find("evil\\\\x1b\\[31mred\\\\x07bell\\\\x0dcr") != std::string::npos);
  CHECK(md.find("| \\# heading |") != std::string::npos);
  CHECK(md.find("| &gt; quote |") != std::string::npos);
  CHECK(md.find("| =cmd\\|' /C calc'!A0 |") != std::string::npos);
  CHECK(md.find("web\\\\x1b\\]0;pwned\\\\x07-\\\\u200bzero\\|\\`x\\`") != std::string::npos);
  CHECK(md.find("\\|pipe\\`tick\\`") != std::string::npos);
  // Every table line has exactly as many unescaped pipes as the header.
  std::size_t header_pipes = std::string::npos;
  std::size_t start = 0;
  while (start < md.size()) {
    std::size_t end = md.find('\n', start);
    if (end == std::string::npos) end = md.size();
    std::string_view line(md.data() + start, end - start);
    if (!line.empty() && line.front() == '|') {
      std::size_t pipes = 0;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
      }
      if (header_pipes == std::string::npos) header_pipes = pipes;
      INFO(line);
      CHECK(pipes == header_pipes);
    }
    start = end + 1;
  }
  CHECK(header_pipes == 13);  // user_agent, name and 10 metrics
}

TEST_CASE("hostile input: JSON is valid UTF-8, parses, and round-trips the strings", "[escape]") {
  const std::string& json = rendered().text.at(OutputFormat::kJson);
  CHECK(controls_in(json, "\n").empty());
  CHECK(json.find('\x1b') == std::string::npos);
  CHECK_FALSE(has_c1_or_bidi(json));
  REQUIRE(simdjson::validate_utf8(json.data(), json.size()));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  simdjson::dom::array rows;
  REQUIRE(doc["rows"].get_array().get(rows) == simdjson::SUCCESS);
  std::vector<std::string> agents, names;
  for (simdjson::dom::element row : rows) {
    std::string_view agent, name;
    REQUIRE(row["key"]["user_agent"].get_string().get(agent) == simdjson::SUCCESS);
    REQUIRE(row["key"]["name"].get_string().get(name) == simdjson::SUCCESS);
    agents.emplace_back(agent);
    names.emplace_back(name);
  }
  REQUIRE(agents.size() == hostile_agents().size());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    INFO(i);
    CHECK(agents[i] == hostile_agents()[hostile_agents().size() - 1 - i].decoded);
    CHECK(names[i] == kHostileNameDecoded);
  }
  simdjson::dom::array files;
  REQUIRE(doc["input"]["files"].get_array().get(files) == simdjson::SUCCESS);
  std::string_view file;
  REQUIRE(files.at(0).get_string().get(file) == simdjson::SUCCESS);
  CHECK(file == rendered().file);
}

TEST_CASE("hostile input: CSV quotes per RFC 4180 and defuses formulas", "[escape]") {
  const std::string& csv = rendered().text.at(OutputFormat::kCsv);
  CHECK(csv.find('\x1b') == std::string::npos);
  CHECK(controls_in(csv, "\n\r\t").empty());
  CHECK_FALSE(has_c1_or_bidi(csv));
  CHECK(simdjson::validate_utf8(csv.data(), csv.size()));
  auto has_line_starting = [&](std::string_view prefix) {
    return csv.find("\n" + std::string(prefix)) != std::string::npos;
  };
  CHECK(has_line_starting("'=cmd|' /C calc'!A0,"));
  CHECK(has_line_starting("'+1+1,"));
  CHECK(has_line_starting("'-2-2,"));
  CHECK(has_line_starting("'@SUM(A1),"));
  CHECK(has_line_starting("'\tTAB,"));
  CHECK(has_line_starting("\"'\r=carriage\","));  // CR: quoted, and defused
  CHECK(has_line_starting("# heading,"));
  // The cell holding CR and LF is quoted, with visible escapes for the other controls.
  CHECK(csv.find("\"evil\\x1b[31mred\\x07bell\rcr\\x08bs\\u202eRTL" + kFffd + kFffd +
                 "|pipe`tick`" + kFffd + kFffd + kFffd + "\\x85nel\\x9b[2J\\x7fdel\nnewline\",") !=
        std::string::npos);
  // Parse it back per RFC 4180: every record has the header's number of fields.
  std::vector<std::vector<std::string>> records(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      records.back().push_back(cell);
      cell.clear();
      records.emplace_back();
    } else {
      cell.push_back(c);
    }
  }
  if (records.back().empty()) records.pop_back();
  REQUIRE(records.size() >= hostile_agents().size() + 1);
  for (std::size_t i = 1; i <= hostile_agents().size(); ++i) {
    INFO(i);
    CHECK(records[i].size() == records[0].size());
  }
  CHECK(records[1][0] == "plain/1.0");
  CHECK(records[1][1] == "web\\x1b]0;pwned\\x07-\\u200bzero|`x`");
}

}  // namespace
}  // namespace kubeblame::report
