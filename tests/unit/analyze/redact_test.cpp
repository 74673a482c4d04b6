// --redact: SipHash-2-4 against the reference vectors, and each redaction rule.
#include "kubeblame/analyze/redact.h"

#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/analyze/shard.h"

namespace kubeblame::analyze {
namespace {

// The reference key 00 01 02 ... 0f of the SipHash paper, little-endian.
constexpr RedactKey kPaperKey{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};

std::string paper_message(std::size_t length) {
  std::string message;
  for (std::size_t i = 0; i < length; ++i) message.push_back(static_cast<char>(i));
  return message;
}

TEST_CASE("siphash24 matches the reference vectors", "[redact]") {
  CHECK(siphash24(kPaperKey, paper_message(0)) == 0x726fdb47dd0e0e31ULL);
  CHECK(siphash24(kPaperKey, paper_message(1)) == 0x74f839c593dc67fdULL);
  CHECK(siphash24(kPaperKey, paper_message(8)) == 0x93f5f5799a932462ULL);
  CHECK(siphash24(kPaperKey, paper_message(15)) == 0xa129ca6149be45e5ULL);
  CHECK(siphash24(kPaperKey, paper_message(63)) == 0x958a324ceb064572ULL);
}

TEST_CASE("redaction keys: same text, same key; random keys differ", "[redact]") {
  CHECK(redact_key_from_text("incident-4711") == redact_key_from_text("incident-4711"));
  CHECK(redact_key_from_text("incident-4711") != redact_key_from_text("incident-4712"));
  CHECK(random_redact_key() != random_redact_key());
}

TEST_CASE("redaction rules", "[redact]") {
  Redactor redactor(redact_key_from_text("k"));
  Redactor other(redact_key_from_text("another key"));
  std::string alice = redactor.user("alice@example.com");
  CHECK(alice.rfind("user-", 0) == 0);
  CHECK(alice.size() == 15);  // "user-" + 10 hex digits
  CHECK(alice == redactor.user("alice@example.com"));
  CHECK(alice != redactor.user("bob@example.com"));
  CHECK(alice != other.user("alice@example.com"));

  // Built-in identities and namespaces stay readable; customers' names do not.
  CHECK(redactor.user("system:kube-scheduler") == "system:kube-scheduler");
  CHECK(redactor.user("system:serviceaccount:kube-system:generic-garbage-collector") ==
        "system:serviceaccount:kube-system:generic-garbage-collector");
  std::string sa = redactor.user("system:serviceaccount:payments:deployer");
  CHECK(sa == "system:serviceaccount:" + redactor.token("ns", "payments") + ":" +
                  redactor.token("sa", "deployer"));
  CHECK(redactor.user("system:node:aks-nodepool1-1234-vmss000000") ==
        "system:node:" + redactor.token("node", "aks-nodepool1-1234-vmss000000"));
  CHECK(redactor.namespace_name("kube-system") == "kube-system");
  CHECK(redactor.namespace_name("(cluster)") == "(cluster)");
  CHECK(redactor.namespace_name("payments") == redactor.token("ns", "payments"));

  // User agents keep their product.
  std::string agent = redactor.user_agent("argocd-application-controller/v2.9.3+c5ea5c4 (linux/amd64)");
  CHECK(agent.rfind("argocd-application-controller/h-", 0) == 0);
  CHECK(agent.find("c5ea5c4") == std::string::npos);
  CHECK(redactor.user_agent("kubectl") == "kubectl");

  // Request URIs: non-resource paths and the fieldManager parameter survive.
  CHECK(redactor.request_uri("/healthz?verbose=1", false) == "/healthz");
  CHECK(redactor.request_uri(
            "/apis/apps/v1/namespaces/payments/deployments/api?fieldManager=argocd-controller&force=true",
            true) == "?fieldManager=argocd-controller");
  CHECK(redactor.request_uri("/api/v1/namespaces/payments/pods/api-0", true).empty());
  // What decides etcd vs watch cache survives; a continue token (it encodes a key) does not.
  CHECK(redactor.request_uri("/api/v1/namespaces/payments/pods?limit=500&resourceVersion=0&"
                             "labelSelector=app%3Dpayments&continue=eyJrZXkiOiIvcGF5bWVudHMifQ",
                             true) == "?limit=500&resourceVersion=0&continue=redacted");
  CHECK(redactor.request_uri("/api/v1/pods?watch=true&resourceVersionMatch=NotOlderThan", true) ==
        "?watch=true&resourceVersionMatch=NotOlderThan");
}

TEST_CASE("a redacting shard never sees the original names", "[redact]") {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kUser, Dimension::kNamespace, Dimension::kName,
                     Dimension::kSourceIp, Dimension::kAgent, Dimension::kError}};
  plan.redact = redact_key_from_text("k");
  Shard shard(plan);
  model::AuditEvent event;
  event.stage = model::Stage::kResponseComplete;
  event.verb = "get";
  event.username = "alice@example.com";
  event.user_agent = "kubectl/v1.29.0 (linux/amd64) kubernetes/abcdef";
  event.source_ip = "10.1.2.3";
  event.has_object_ref = true;
  event.object_ref.resource = "secrets";
  event.object_ref.namespace_name = "payments";
  event.object_ref.name = "stripe-key";
  event.request_uri = "/api/v1/namespaces/payments/secrets/stripe-key";
  event.code = 404;
  event.reason = "NotFound";
  event.message = "secrets \"stripe-key\" not found";
  shard.on_event(event, decode::Format::kAuditJsonLines);
  const GroupTable& table = shard.tables()[0];
  REQUIRE(table.size() == 1);
  std::string key;
  for (std::size_t d = 0; d < table.dimensions().size(); ++d) key += std::string(table.key(0, d)) + "|";
  Redactor redactor(redact_key_from_text("k"));
  CHECK(key.find("alice") == std::string::npos);
  CHECK(key.find("payments") == std::string::npos);
  CHECK(key.find("stripe") == std::string::npos);
  CHECK(key.find("10.1.2.3") == std::string::npos);
  CHECK(key.rfind(redactor.user("alice@example.com") + "|" + redactor.token("ns", "payments") +
                      "|" + redactor.token("name", "stripe-key") + "|" +
                      redactor.token("ip", "10.1.2.3") + "|kubectl|404 NotFound",
                  0) == 0);
}

}  // namespace
}  // namespace kubeblame::analyze
