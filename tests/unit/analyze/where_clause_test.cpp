// --where: parsing of every operator, the exact messages for bad expressions, glob matching.
#include "kubeblame/analyze/where_clause.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

namespace kubeblame::analyze {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_where_clause(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("parse_where_clause reads every operator", "[analyze][where]") {
  struct Case {
    const char* text;
    Dimension dimension;
    WhereOp op;
    const char* value;
  };
  const Case cases[] = {
      {"verb=list", Dimension::kVerb, WhereOp::kEqual, "list"},
      {"agent!=kubelet", Dimension::kAgent, WhereOp::kNotEqual, "kubelet"},
      {"namespace~prod-*", Dimension::kNamespace, WhereOp::kGlob, "prod-*"},
      {"user!~system:*", Dimension::kUser, WhereOp::kNotGlob, "system:*"},
      {"code>=400", Dimension::kCode, WhereOp::kGreaterEqual, "400"},
      {"code<=299", Dimension::kCode, WhereOp::kLessEqual, "299"},
      {"code>499", Dimension::kCode, WhereOp::kGreater, "499"},
      {"code<300", Dimension::kCode, WhereOp::kLess, "300"},
      {"namespace=(cluster)", Dimension::kNamespace, WhereOp::kEqual, "(cluster)"},
      {"user_agent=kubectl/v1.30 (linux/amd64) a=b", Dimension::kUserAgent, WhereOp::kEqual,
       "kubectl/v1.30 (linux/amd64) a=b"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    WhereClause clause = parse_where_clause(c.text);
    CHECK(clause.dimension == c.dimension);
    CHECK(clause.op == c.op);
    CHECK(clause.value == c.value);
  }
  CHECK(parse_where_clause("code>=400").number == 400);
  CHECK(parse_where_clause("code<300").number == 300);
  CHECK(where_op_text(WhereOp::kNotGlob) == "!~");
}

TEST_CASE("parse_where_clause refuses bad expressions with one exact line", "[analyze][where]") {
  CHECK(error_of("verb") ==
        "--where 'verb': expected DIMENSION OPERATOR VALUE (verb=list); operators: =, !=, ~, !~ "
        "(and >=, <=, >, < on code)");
  CHECK(error_of("verbs=list") ==
        "--where 'verbs=list': unknown dimension 'verbs'; valid: agent, user_agent, user, "
        "impersonated_user, verb, resource, namespace, name, object, code, source_ip, error, webhook, priority_level, flow_schema");
  CHECK(error_of("=list") ==
        "--where '=list': unknown dimension ''; valid: agent, user_agent, user, "
        "impersonated_user, verb, resource, namespace, name, object, code, source_ip, error, webhook, priority_level, flow_schema");
  CHECK(error_of("code=>400") ==
        "--where 'code=>400': unknown operator '=>'; valid: =, !=, ~, !~ (and >=, <=, >, < on "
        "code)");
  CHECK(error_of("verb==list") ==
        "--where 'verb==list': unknown operator '=='; valid: =, !=, ~, !~ (and >=, <=, >, < on "
        "code)");
  CHECK(error_of("verb=") == "--where 'verb=': missing value after '='");
  CHECK(error_of("verb>=list") ==
        "--where 'verb>=list': '>=' compares numbers and only applies to code; for verb use =, "
        "!=, ~ or !~");
  CHECK(error_of("code>=4xx") == "--where 'code>=4xx': '4xx' is not a number (example: code>=400)");
  CHECK(error_of("code<") == "--where 'code<': missing value after '<'");
  CHECK(error_of("name~web-[0-9") ==
        "--where 'name~web-[0-9': the glob has an unterminated '[' set or a trailing '\\'");
  CHECK(error_of("name!~web\\") ==
        "--where 'name!~web\\': the glob has an unterminated '[' set or a trailing '\\'");
}

TEST_CASE("WhereClause::matches compares strings, globs and numeric codes", "[analyze][where]") {
  CHECK(parse_where_clause("verb=list").matches("list", 200));
  CHECK_FALSE(parse_where_clause("verb=list").matches("lists", 200));
  CHECK(parse_where_clause("verb!=list").matches("get", 200));
  CHECK_FALSE(parse_where_clause("verb!=list").matches("list", 200));
  CHECK(parse_where_clause("agent~kube-*").matches("kube-scheduler", 200));
  CHECK_FALSE(parse_where_clause("agent~kube-*").matches("kubelet", 200));
  CHECK(parse_where_clause("agent!~kube-*").matches("kubelet", 200));
  // Numeric comparisons use the code; an event without a code matches none of them.
  CHECK(parse_where_clause("code>=400").matches("400", 400));
  CHECK_FALSE(parse_where_clause("code>=400").matches("399", 399));
  CHECK(parse_where_clause("code<=404").matches("404", 404));
  CHECK_FALSE(parse_where_clause("code<=404").matches("409", 409));
  CHECK(parse_where_clause("code>499").matches("500", 500));
  CHECK_FALSE(parse_where_clause("code>499").matches("499", 499));
  CHECK(parse_where_clause("code<300").matches("201", 201));
  CHECK_FALSE(parse_where_clause("code<300").matches("(none)", 0));
  CHECK_FALSE(parse_where_clause("code>=0").matches("(none)", 0));
  CHECK(parse_where_clause("code=(none)").matches("(none)", 0));
}

TEST_CASE("glob_match covers the whole value", "[analyze][where][glob]") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything"));
  CHECK(glob_match("", ""));
  CHECK_FALSE(glob_match("", "x"));
  CHECK(glob_match("prod-*", "prod-eu"));
  CHECK(glob_match("prod-*", "prod-"));
  CHECK_FALSE(glob_match("prod-*", "preprod-eu"));
  CHECK_FALSE(glob_match("prod", "prod-eu"));  // whole value, not a substring
  CHECK(glob_match("*-eu", "prod-eu"));
  CHECK(glob_match("*od*", "prod-eu"));
  CHECK(glob_match("a*b*c", "aXXbYYbZZc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYYbZZ"));
  CHECK(glob_match("?", "x"));
  CHECK_FALSE(glob_match("?", ""));
  CHECK_FALSE(glob_match("?", "xy"));
  CHECK(glob_match("web-??", "web-01"));
  CHECK(glob_match("web-[0-9]", "web-7"));
  CHECK_FALSE(glob_match("web-[0-9]", "web-a"));
  CHECK(glob_match("[abc]x", "bx"));
  CHECK_FALSE(glob_match("[abc]x", "dx"));
  CHECK(glob_match("[!abc]x", "dx"));
  CHECK(glob_match("[^abc]x", "dx"));
  CHECK_FALSE(glob_match("[!abc]x", "ax"));
  CHECK(glob_match("[]]", "]"));   // a leading ] is a member
  CHECK(glob_match("[a-]", "-"));  // a trailing - is literal
  CHECK(glob_match("4[0-9][0-9]", "404"));
  CHECK(glob_match("\\*", "*"));  // escaped star is literal
  CHECK_FALSE(glob_match("\\*", "x"));
  CHECK(glob_match("(cluster)", "(cluster)"));
  CHECK(glob_match("**a", "ba"));
  CHECK(glob_is_valid("web-[0-9]*"));
  CHECK_FALSE(glob_is_valid("web-[0-9"));
  CHECK_FALSE(glob_is_valid("web\\"));
  CHECK_FALSE(glob_is_valid("[]"));  // "]" right after "[" is a member, so the set is open
}

}  // namespace kubeblame::analyze
