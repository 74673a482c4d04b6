// describe_foreign_input: what an input that is not an audit log looks like, from its first bytes.
#include "kubeblame/decode/foreign_input.h"

#include <catch2/catch.hpp>

namespace kubeblame::decode {
namespace {

TEST_CASE("describe_foreign_input names a Linux auditd log", "[decode][foreign]") {
  const char* raw =
      "type=DAEMON_START msg=audit(1740470400.123:4512): op=start ver=3.0.9 format=enriched\n"
      "type=SYSCALL msg=audit(1740470401.200:4513): arch=c000003e syscall=59 success=yes\n";
  CHECK(describe_foreign_input(raw) ==
        "a Linux auditd log (`type=… msg=audit(…)` lines), not a Kubernetes audit log");
  // The enriched format with a node= prefix (name_format = hostname), after blank lines.
  CHECK(describe_foreign_input("\n\nnode=worker-1 type=USER_LOGIN msg=audit(1740470401.200:7): pid=1\n") ==
        "a Linux auditd log (`type=… msg=audit(…)` lines), not a Kubernetes audit log");
  CHECK(describe_foreign_input("type=lower msg=audit(1): x\n").rfind("text that is neither", 0) == 0);
}

TEST_CASE("describe_foreign_input names Log Analytics rows of other tables", "[decode][foreign]") {
  CHECK(describe_foreign_input(
            R"([{"Computer":"node1","CounterName":"% Processor Time","TimeGenerated":"2025-02-25T09:00:00Z","Type":"Perf"}])") ==
        "rows of the Log Analytics table Perf, which holds no audit events or control-plane log lines");
  CHECK(describe_foreign_input(R"([{"TimeGenerated":"2025-02-25T09:00:00Z","Computer":"node1"}])") ==
        "Log Analytics rows with the columns TimeGenerated, Computer, none of an audit or control-plane table");
  CHECK(describe_foreign_input(
            R"({"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},)"
            R"({"name":"Computer","type":"string"}],"rows":[["2025-02-25T09:00:00Z","node1"]]}]})") ==
        "a Log Analytics query response whose table (columns TimeGenerated, Computer) holds no audit "
        "events or control-plane log lines");
  CHECK(describe_foreign_input("\xEF\xBB\xBF\"TimeGenerated [UTC]\",Computer,Type\r\n\"2/25/2025, 9:00:00.000 AM\",n,Perf\r\n") ==
        "Log Analytics rows with the columns TimeGenerated [UTC], Computer, Type, none of an audit or "
        "control-plane table");
}

TEST_CASE("describe_foreign_input is silent on the formats kubeblame reads", "[decode][foreign]") {
  for (const char* head : {
           R"({"kind":"Event","auditID":"a","verb":"get"})",
           R"([{"AuditId":"a","TimeGenerated":"2025-02-25T09:00:00Z","Verb":"get"}])",
           R"({"tables":[{"name":"PrimaryResult","columns":[{"name":"AuditId","type":"string"}],"rows":[]}]})",
           R"({"records":[{"category":"kube-audit","properties":{"log":"{}"}}]})",
           "\"TimeGenerated [UTC]\",Category,Message\r\n",
           "   ",
       }) {
    INFO(head);
    CHECK(describe_foreign_input(head).empty());
  }
}

TEST_CASE("describe_foreign_input names other JSON, binary data and other text", "[decode][foreign]") {
  CHECK(describe_foreign_input("{\"name\":\"x\",\"values\":[1,2],\"nested\":{\"deep\":1},\"n\":2}\n") ==
        "JSON, but not audit events or a known export (the first record's keys: name, values, nested, n)");
  CHECK(describe_foreign_input(R"([{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}])") ==
        "JSON, but not audit events or a known export (the first record's keys: a, b, c, d, e, f, …)");
  CHECK(describe_foreign_input("[1, 2, 3]") == "JSON that holds no objects");
  CHECK(describe_foreign_input("{\"ki").empty());  // cut before its first key: nothing to say
  CHECK(describe_foreign_input(std::string_view("\x7f" "ELF\x02\x01\x01\0\0\0", 10)) ==
        "binary data (not text, gzip or zstd)");
  CHECK(describe_foreign_input("Hello world\nsecond line\n") ==
        "text that is neither JSON nor kube-apiserver log lines (it starts `Hello world`)");
  // A long first line is cut at 60 bytes, never inside a UTF-8 sequence.
  std::string long_line = std::string(59, 'x') + "\xC3\xA9" + "tail";
  CHECK(describe_foreign_input(long_line) ==
        "text that is neither JSON nor kube-apiserver log lines (it starts `" + std::string(59, 'x') + "…`)");
}

TEST_CASE("describe_foreign_input survives hostile heads", "[decode][foreign]") {
  for (std::string_view head : {std::string_view("{\"unterminated"), std::string_view("[[[[[[[["),
                                std::string_view("{\"a\\\"b\":1}"), std::string_view("{\"columns\""),
                                std::string_view("{\"tables\":[{\"columns\":[{\"name\":\"x")}) {
    INFO(head);
    CHECK_NOTHROW(describe_foreign_input(head));
  }
  CHECK(accepted_formats_sentence().find("docs/formats.md") != std::string_view::npos);
}

}  // namespace
}  // namespace kubeblame::decode
