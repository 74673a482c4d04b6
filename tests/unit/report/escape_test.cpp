// Escaping of hostile input strings for the terminal, markdown, JSON and CSV.
#include "kubeblame/report/escape.h"

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <string>

namespace kubeblame::report {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("escape_terminal makes control characters visible", "[report][escape]") {
  CHECK(escape_terminal("plain text, café ✓") == "plain text, café ✓");
  CHECK(escape_terminal("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(escape_terminal("bell\a back\b cr\r nl\n tab\t nul" + std::string(1, '\0')) ==
        "bell\\x07 back\\x08 cr\\x0d nl\\x0a tab\\x09 nul\\x00");
  CHECK(escape_terminal("del\x7f") == "del\\x7f");
  CHECK(escape_terminal("csi \xC2\x9B" "2J") == "csi \\x9b2J");  // C1 CSI as UTF-8
  CHECK(escape_terminal("evil\xE2\x80\xAEtxt.exe") == "evil\\u202etxt.exe");  // RTL override
  CHECK(escape_terminal("zero\xE2\x80\x8Bwidth") == "zero\\u200bwidth");
  CHECK(escape_terminal("bad \xFF\xFE utf8 \xC3") == "bad " + kFffd + kFffd + " utf8 " + kFffd);
  CHECK(escape_terminal("\x9b raw C1 byte") == kFffd + " raw C1 byte");  // invalid alone
  CHECK(escape_terminal("") == "");
}

TEST_CASE("escape_markdown escapes table and inline syntax", "[report][escape]") {
  CHECK(escape_markdown("a|b") == "a\\|b");
  CHECK(escape_markdown("`code`") == "\\`code\\`");
  CHECK(escape_markdown("# not a heading") == "\\# not a heading");
  CHECK(escape_markdown("issue #12") == "issue #12");
  CHECK(escape_markdown("<script>") == "&lt;script&gt;");
  CHECK(escape_markdown("*bold* _it_ [link](x) ~s~ back\\slash") ==
        "\\*bold\\* \\_it\\_ \\[link\\](x) \\~s\\~ back\\\\slash");
  // Terminal escaping first: the backslash of a visible escape is itself escaped.
  CHECK(escape_markdown("a\nb") == "a\\\\x0ab");
  CHECK(escape_markdown("system:serviceaccount:argocd:argocd-application-controller") ==
        "system:serviceaccount:argocd:argocd-application-controller");
}

std::string json_round_trip(std::string_view text) {
  std::string json = "\"";
  append_json_string(json, text);
  json += "\"";
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view parsed;
  INFO(json);
  REQUIRE(parser.parse(padded).get_string().get(parsed) == simdjson::SUCCESS);
  return std::string(parsed);
}

TEST_CASE("append_json_string always gives valid JSON", "[report][escape]") {
  std::string out;
  append_json_string(out, "q\"b\\n\nr\rt\tc\x01" "d\x7f");
  CHECK(out == "q\\\"b\\\\n\\nr\\rt\\tc\\u0001d\\u007f");
  out.clear();
  append_json_string(out, "evil\xE2\x80\xAE \xC2\x85");
  CHECK(out == "evil\\u202e \\u0085");

  CHECK(json_round_trip("plain") == "plain");
  CHECK(json_round_trip("quote \" backslash \\ newline \n") == "quote \" backslash \\ newline \n");
  CHECK(json_round_trip("\x1b[2J\a") == "\x1b[2J\a");
  CHECK(json_round_trip("bad \xFF utf8 \xE2\x82") == "bad " + kFffd + " utf8 " + kFffd + kFffd);
  CHECK(json_round_trip("emoji \xF0\x9F\x98\x80 é") == "emoji \xF0\x9F\x98\x80 é");
  CHECK(json_round_trip("rtl \xE2\x80\xAE") == "rtl \xE2\x80\xAE");
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  std::string parsed = json_round_trip(every_byte);
  CHECK(parsed.substr(0, 128) == every_byte.substr(0, 128));
}

TEST_CASE("escape_csv quotes per RFC 4180 and defuses formulas", "[report][escape]") {
  CHECK(escape_csv("plain") == "plain");
  CHECK(escape_csv("") == "");
  CHECK(escape_csv("a,b") == "\"a,b\"");
  CHECK(escape_csv("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(escape_csv("two\nlines") == "\"two\nlines\"");
  CHECK(escape_csv("cr\rhere") == "\"cr\rhere\"");
  CHECK(escape_csv("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(escape_csv("=1+2") == "'=1+2");
  CHECK(escape_csv("+1") == "'+1");
  CHECK(escape_csv("-1") == "'-1");
  CHECK(escape_csv("@SUM(A1)") == "'@SUM(A1)");
  CHECK(escape_csv("\tx") == "'\tx");
  CHECK(escape_csv("\rx") == "\"'\rx\"");
  CHECK(escape_csv("a=b") == "a=b");
  CHECK(escape_csv("esc\x1b[0m") == "esc\\x1b[0m");
  CHECK(escape_csv("bad\xFF") == "bad" + kFffd);
}

}  // namespace
}  // namespace kubeblame::report
