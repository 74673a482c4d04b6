// BodyFlattener: merge patches, JSON Patch (with ~0/~1 escapes), keyed and plain lists, full
// objects with bookkeeping, status writes, limits, and bodies that are not JSON.
#include "kubeblame/analyze/fights/body_flattener.h"

#define CATCH_CONFIG_ENABLE_PAIR_STRINGMAKER
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace kubeblame::analyze {
namespace {

using Leaves = std::vector<std::pair<std::string, std::string>>;

Leaves flat(std::string_view body, FlattenOptions options = {}, FlattenResult* result = nullptr) {
  static BodyFlattener flattener;
  return flattener.flatten_to_vector(body, options, result);
}

TEST_CASE("merge patch: leaves with JSON-text values", "[fights][body]") {
  FlattenResult r;
  Leaves leaves = flat(
      R"({"spec":{"conversion":{"webhook":{"clientConfig":{"caBundle":"Cg==","service":{"namespace":"replaceme","port":443}}}}}})",
      {}, &r);
  CHECK(r.kind == BodyKind::kObject);
  CHECK(r.leaves == 3);
  CHECK(leaves == Leaves{
                      {".spec.conversion.webhook.clientConfig.caBundle", "\"Cg==\""},
                      {".spec.conversion.webhook.clientConfig.service.namespace", "\"replaceme\""},
                      {".spec.conversion.webhook.clientConfig.service.port", "443"},
                  });
}

TEST_CASE("keys that are not identifiers are quoted; scalars of every type", "[fights][body]") {
  Leaves leaves = flat(
      R"({"metadata":{"labels":{"app.kubernetes.io/name":"x","a\"b":true},"annotations":{"team":null}},
          "data":{"k-1":1.5,"n":-3,"big":18446744073709551615},"a b":{"c":false}})");
  CHECK(leaves == Leaves{
                      {R"(.metadata.labels["app.kubernetes.io/name"])", "\"x\""},
                      {R"(.metadata.labels["a\"b"])", "true"},
                      {".metadata.annotations.team", "null"},
                      {R"(.data["k-1"])", "1.5"},
                      {".data.n", "-3"},
                      {".data.big", "18446744073709551615"},
                      {R"(.["a b"].c)", "false"},
                  });
}

TEST_CASE("full object: bookkeeping, status and apiVersion/kind are ignored", "[fights][body]") {
  FlattenResult r;
  Leaves leaves = flat(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","namespace":"shop","uid":"u-1","resourceVersion":"42","generation":7,
        "creationTimestamp":"2025-01-01T00:00:00Z","selfLink":"/x","managedFields":[{"manager":"m"}],
        "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}","owner":"team-a"},
        "labels":{"app":"web"}},
      "spec":{"replicas":3,"template":{"metadata":{"creationTimestamp":null}},"paused":false},
      "status":{"replicas":3,"conditions":[{"type":"Available","lastTransitionTime":"2025-01-01T00:00:00Z"}]}})",
                       {}, &r);
  CHECK(r.object_kind == "Deployment");
  CHECK(leaves == Leaves{
                      {".metadata.annotations.owner", "\"team-a\""},
                      {".metadata.labels.app", "\"web\""},
                      {".spec.replicas", "3"},
                      {".spec.paused", "false"},
                  });
}

TEST_CASE("status subresource writes keep only status", "[fights][body]") {
  FlattenOptions options;
  options.status_write = true;
  Leaves leaves = flat(R"({"metadata":{"labels":{"a":"b"}},"spec":{"replicas":3},
      "status":{"observedGeneration":4,"conditions":[{"type":"Ready","status":"True","lastProbeTime":null}]}})",
                       options);
  CHECK(leaves == Leaves{
                      {".status.observedGeneration", "4"},
                      {R"(.status.conditions[] | select(.type == "Ready") | .status)", "\"True\""},
                  });
}

TEST_CASE("lists: keyed by name become select(), others are one leaf", "[fights][body]") {
  Leaves leaves = flat(R"({"spec":{"template":{"spec":{
      "containers":[{"name":"app","image":"app:1","ports":[{"containerPort":80,"protocol":"TCP"}],"args":["-v","2"]},
                    {"name":"side car","image":"s:2"}],
      "tolerations":[{"key":"k","operator":"Exists"}],"finalizers":[],"$setElementOrder/containers":[{"name":"app"}]}}}})");
  CHECK(leaves ==
        Leaves{
            {R"(.spec.template.spec.containers[] | select(.name == "app") | .image)", "\"app:1\""},
            {R"(.spec.template.spec.containers[] | select(.name == "app") | .ports[] | select(.containerPort == 80) | .protocol)",
             "\"TCP\""},
            {R"(.spec.template.spec.containers[] | select(.name == "app") | .args)", R"(["-v","2"])"},
            {R"(.spec.template.spec.containers[] | select(.name == "side car") | .image)", "\"s:2\""},
            {".spec.template.spec.tolerations", R"([{"key":"k","operator":"Exists"}])"},
            {".spec.template.spec.finalizers", "[]"},
        });
}

TEST_CASE("JSON Patch: pointers with ~0/~1, indexes, remove, move, test", "[fights][body]") {
  FlattenResult r;
  Leaves leaves = flat(R"([
      {"op":"test","path":"/metadata/resourceVersion","value":"1"},
      {"op":"replace","path":"/spec/conversion/webhook/clientConfig/service/namespace","value":"dapr-system"},
      {"op":"add","path":"/metadata/annotations/example.com~1owner","value":"ops"},
      {"op":"add","path":"/metadata/labels/a~0b","value":"x"},
      {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"app:2"},
      {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"proxy","image":"p:1"}},
      {"op":"add","path":"/spec/args/-","value":"--v=2"},
      {"op":"remove","path":"/spec/paused"},
      {"op":"move","from":"/spec/old","path":"/spec/new"},
      {"op":"replace","path":"/status/phase","value":"Running"},
      {"op":"replace","path":"/metadata/resourceVersion","value":"2"},
      {"op":"add","path":"/spec/selector","value":{"matchLabels":{"app":"web"}}}
    ])",
                       {}, &r);
  CHECK(r.kind == BodyKind::kJsonPatch);
  CHECK(leaves ==
        Leaves{
            {".spec.conversion.webhook.clientConfig.service.namespace", "\"dapr-system\""},
            {R"(.metadata.annotations["example.com/owner"])", "\"ops\""},
            {R"(.metadata.labels["a~b"])", "\"x\""},
            {".spec.template.spec.containers[0].image", "\"app:2\""},
            {R"(.spec.template.spec.containers[] | select(.name == "proxy") | .image)", "\"p:1\""},
            {".spec.args[]", "\"--v=2\""},
            {".spec.paused", "null"},
            {".spec.old", "null"},
            {".spec.selector.matchLabels.app", "\"web\""},
        });
}

TEST_CASE("leader-election annotations are flagged and not reported", "[fights][body]") {
  FlattenResult r;
  Leaves leaves = flat(
      R"({"metadata":{"annotations":{"control-plane.alpha.kubernetes.io/leader":"{\"holderIdentity\":\"a\"}"}}})", {}, &r);
  CHECK(r.leader_lock);
  CHECK(leaves.empty());
}

TEST_CASE("limits: long values and paths are cut with an ellipsis, leaves are capped",
          "[fights][body]") {
  FlattenOptions options;
  options.max_value_length = 10;
  options.max_path_length = 12;
  options.max_leaves = 2;
  FlattenResult r;
  Leaves leaves = flat(R"({"a":"0123456789abcdef","bbbbbbbbbbbbbbbbbbbb":1,"c":2,"d":3})", options, &r);
  CHECK(r.leaves == 2);
  CHECK(leaves == Leaves{{".a", "\"012345678\xE2\x80\xA6"}, {".bbbbbbbbbbb\xE2\x80\xA6", "1"}});
  // A cut never splits a UTF-8 sequence.
  options.max_leaves = 10;
  options.max_value_length = 4;
  leaves = flat(R"({"a":"\u00e9\u00e9\u00e9"})", options);
  CHECK(leaves == Leaves{{".a", "\"\xC3\xA9\xE2\x80\xA6"}});
}

TEST_CASE("bodies that are not JSON never crash and yield nothing", "[fights][body]") {
  const char* bodies[] = {
      "",        "skipped-too-big-size-object", "{\"spec\":{\"replicas\":",  "[1,2,3]",
      "\"text\"", "42", "[{\"op\":\"add\"}]", "{\"a\":1,}", "{\"a\":\"\xff\"}",
      "[{\"op\":\"replace\",\"path\":\"\",\"value\":1}]", "[{\"op\":\"remove\",\"path\":\"\"}]",
      "[{\"op\":\"replace\",\"path\":\"no-slash\",\"value\":1}]",
  };
  for (const char* body : bodies) {
    FlattenResult r;
    Leaves leaves = flat(body, {}, &r);
    CAPTURE(body);
    CHECK(leaves.empty());
  }
  FlattenResult r;
  flat("{\"spec\":{\"replicas\":", {}, &r);
  CHECK(r.kind == BodyKind::kInvalid);
  // Deep nesting is cut into a leaf instead of recursing without end.
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 200; ++i) deep += "}";
  Leaves leaves = flat(deep);
  REQUIRE(leaves.size() == 1);
  CHECK(leaves[0].second.rfind("{\"a\":", 0) == 0);
}

TEST_CASE("every cut of a body is rejected whole, never half-flattened", "[fights][body]") {
  const std::string body =
      R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"subscriptions.dapr.io","annotations":{"a/b":"x\"y"}},)"
      R"("spec":{"conversion":{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"namespace":"dapr-system","port":443},"caBundle":"LS0t"},)"
      R"("conversionReviewVersions":["v1","v2alpha1"]}},"versions":[{"name":"v1alpha1","served":true},{"name":"v2alpha1","served":true,"storage":true}]}})";
  const std::string patch =
      R"([{"op":"replace","path":"/spec/conversion/webhook/clientConfig/service/namespace","value":"dapr-system"},{"op":"remove","path":"/a~1b"}])";
  for (const std::string* text : {&body, &patch}) {
    std::size_t full = flat(*text).size();
    CHECK(full >= 2);
    for (std::size_t cut = 0; cut < text->size(); ++cut) {
      FlattenResult r;
      Leaves leaves = flat(std::string_view(*text).substr(0, cut), {}, &r);
      CAPTURE(cut);
      CHECK(r.kind == BodyKind::kInvalid);
      CHECK(leaves.empty());
    }
  }
}

TEST_CASE("jq paths convert to JSON pointers where they can", "[fights][body]") {
  CHECK(jq_path_to_json_pointer(".spec.replicas") == "/spec/replicas");
  CHECK(jq_path_to_json_pointer(R"(.metadata.annotations["example.com/a~b"])") ==
        "/metadata/annotations/example.com~1a~0b");
  CHECK(jq_path_to_json_pointer(".spec.containers[0].image") == "/spec/containers/0/image");
  CHECK(jq_path_to_json_pointer(R"(.["a b"].c)") == "/a b/c");
  CHECK(jq_path_to_json_pointer(R"(.spec.containers[] | select(.name == "a") | .image)").empty());
  CHECK(jq_path_to_json_pointer("spec").empty());
  CHECK(jq_path_to_json_pointer(R"(.a["x)").empty());
}

TEST_CASE("append_json_quoted escapes controls and repairs UTF-8", "[fights][body]") {
  std::string out;
  append_json_quoted(out, "a\"b\\c\n\x1b\x7f\xC3\xA9\xff");
  CHECK(out == "\"a\\\"b\\\\c\\n\\u001b\\u007f\xC3\xA9\xEF\xBF\xBD\"");
  CHECK(is_jq_identifier("caBundle"));
  CHECK(is_jq_identifier("_x9"));
  CHECK_FALSE(is_jq_identifier("9x"));
  CHECK_FALSE(is_jq_identifier("a-b"));
  CHECK_FALSE(is_jq_identifier(""));
}

}  // namespace
}  // namespace kubeblame::analyze
