// Error signatures: every masking rule with exact outputs, error families generated with every
// variable part varied (one signature each, never merged), the length cap and the no-allocation
// contract of the append_* functions.
#include "kubeblame/analyze/errors/signature.h"

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using kubeblame::analyze::append_audit_signature;
using kubeblame::analyze::append_log_signature;
using kubeblame::analyze::audit_signature;
using kubeblame::analyze::kMaxSignatureBytes;
using kubeblame::analyze::log_signature;

std::string mask(std::string_view message) { return log_signature("", message); }

}  // namespace

TEST_CASE("Signature keeps the source file as prefix and collapses whitespace", "[signature]") {
  CHECK(log_signature("watcher.go", "watch chan error: etcdserver: mvcc: required revision has "
                                    "been compacted") ==
        "watcher.go: watch chan error: etcdserver: mvcc: required revision has been compacted");
  CHECK(log_signature("", "  a \t b\r\n  c  ") == "a b c");
  CHECK(log_signature("x.go", "") == "x.go");
  CHECK(log_signature("", "") == "(empty message)");
  CHECK(log_signature("", "   ") == "(empty message)");
}

TEST_CASE("Signature masks URLs, paths, IPs and hosts", "[signature]") {
  CHECK(mask("from https://10.96.2.15:443/apis/x/v1: Get") == "from <url>: Get");
  CHECK(mask("Post \"https://dapr-webhook.replaceme.svc:443/convert?timeout=30s\": x") ==
        "Post \"<url>\": x");
  CHECK(mask("(see http://example.com/a).") == "(see <url>).");
  CHECK(mask("url:/api/v1/namespaces/kube-system/endpoints/kube-scheduler (x)") ==
        "url:<path> (x)");
  CHECK(mask("GET /healthz, then") == "GET <path>, then");
  CHECK(mask("net/http: request canceled") == "net/http: request canceled");
  CHECK(mask("dial tcp 10.0.0.1:443: connect: connection refused") ==
        "dial tcp <ip>: connect: connection refused");
  CHECK(mask("CIDR 10.85.0.0/16 and 192.168.1.1") == "CIDR <ip> and <ip>");
  CHECK(mask("at [fe80::1]:6443 or 2001:db8::1 or ::1") == "at <ip> or <ip> or <ip>");
  CHECK(mask("dial fe80::1: refused") == "dial <ip>: refused");
  CHECK(mask("1.2.3.4.5") == "<num>");
  CHECK(mask("dial tcp: lookup dapr-webhook.dapr-system.svc on 10.0.0.10:53: no such host") ==
        "dial tcp: lookup <host> on <ip>: no such host");
  CHECK(mask("dial tcp: lookup etcd: i/o timeout") == "dial tcp: lookup <host>: i/o timeout");
  CHECK(mask("failed lookup of keys") == "failed lookup of keys");
  CHECK(mask("endpoint etcd-0.etcd.svc:2379 down") == "endpoint <host> down");
  CHECK(mask("at cacher.go:450 and factory.go:150") == "at cacher.go:<num> and factory.go:<num>");
}

TEST_CASE("Signature masks times, durations, UIDs, hex and numbers", "[signature]") {
  CHECK(mask("current time 2024-01-01T00:00:00Z is after 2023-12-31T23:59:59.5+01:00") ==
        "current time <time> is after <time>");
  CHECK(mask("(started: 2020-10-22 01:00:30.133474591 +0000 UTC m=+1328.926848273) (total") ==
        "(started: <time>) (total");
  CHECK(mask("on 2020-10-22, at (02:46:10.192) and 10:16:37") ==
        "on <time>, at (<time>) and <time>");
  CHECK(mask("took 4.003161ms, 30s, 6m49s, 1h2m3.5s, 5010ms, 12\xC2\xB5s") ==
        "took <duration>, <duration>, <duration>, <duration>, <duration>, <duration>");
  CHECK(mask("5min 3rd 100Mi") == "<id> <id> <id>");
  CHECK(mask("audit-ID b0a35b5f-17f7-44b4-bfa2-ff17525f9872.") == "audit-ID <uid>.");
  CHECK(mask("uid B0A35B5F-17F7-44B4-BFA2-FF17525F9872") == "uid <uid>");
  CHECK(mask("at 0xc002799500 id 2f6d9d971b04955df3add39bc371b9be") == "at <hex> id <hex>");
  CHECK(mask("deadbeefcafe facade") == "deadbeefcafe facade");
  CHECK(mask("len:8917,err:nil retry 3. value -1 ratio 0.25") ==
        "len:<num>,err:nil retry <num>. value -<num> ratio <num>");
  CHECK(mask("Trace[1430365014]: x") == "Trace[<num>]: x");
}

TEST_CASE("Signature keeps vocabulary with digits and masks versions", "[signature]") {
  CHECK(mask("not an metav1.Status in k8s x509 http2 e2e") ==
        "not an metav1.Status in k8s x509 http2 e2e");
  CHECK(mask("Version: v1.28.15 and client-go@v0.26.1-rc.1/tools") ==
        "Version: <version> and client-go@<version>/tools");
  CHECK(mask("v1alpha1.acme.testing.cert-manager.io failed with: x") ==
        "<version>.<group> failed with: x");
  CHECK(mask("failed to list dapr.io/v1alpha1, Kind=Subscription: x") ==
        "failed to list <group>/<version>, Kind=<kind>: x");
  CHECK(mask("/v1, Kind=Pod and apps/v1, Resource=deployments") ==
        "<group>/<version>, Kind=<kind> and <group>/<version>, Resource=<resource>");
  CHECK(mask("Conversion to deckhouse.io/v1beta2 was not successful") ==
        "Conversion to <group>/<version> was not successful");
  CHECK(mask("a v1beta1 object") == "a v1beta1 object");
}

TEST_CASE("Signature masks quoted values and keeps quoted text", "[signature]") {
  CHECK(mask("service \"dapr-webhook\" not found") == "service \"<name>\" not found");
  CHECK(mask("GET \"/api/v1/nodes/work233\" result") == "GET \"<path>\" result");
  CHECK(mask("API group \"\" here") == "API group \"\" here");
  CHECK(mask("&errors.errorString{s:\"error dialing backend: EOF\"}: EOF") ==
        "&errors.errorString{s:\"error dialing backend: EOF\"}: EOF");
  CHECK(mask("\"Failed to update lease 3 times\" x") == "\"Failed to update lease <num> times\" x");
  CHECK(mask("unterminated \"quote here") == "unterminated \"quote here");
  CHECK(mask("node 'work115' can't get 'x y'") == "node '<name>' can't get 'x y'");
}

TEST_CASE("Signature masks resources and kinds named before a quoted value", "[signature]") {
  CHECK(mask("pods \"foo\" not found") == "<resource> \"<name>\" not found");
  CHECK(mask("deployments.apps \"nginx\" not found") == "<resource> \"<name>\" not found");
  CHECK(mask("on leases.coordination.k8s.io \"kube-scheduler\": x") ==
        "on <resource> \"<name>\": x");
  CHECK(mask("Deployment.apps \"nginx\" is invalid: x") == "<kind> \"<name>\" is invalid: x");
  CHECK(mask("Pod \"nginx\" is invalid: x") == "<kind> \"<name>\" is invalid: x");
  CHECK(mask("User \"alice\" cannot") == "User \"<name>\" cannot");
  CHECK(mask("webhook \"validation.gatekeeper.sh\": x") == "webhook \"<name>\": x");
  CHECK(mask("validation.gatekeeper.sh \"x\"") == "validation.gatekeeper.sh \"<name>\"");
  CHECK(mask("deployments.apps is forbidden: User \"bob\" cannot list resource \"deployments\" "
             "in API group \"apps\" at the cluster scope") ==
        "<resource> is forbidden: User \"<name>\" cannot list resource \"<name>\" in API group "
        "\"<name>\" at the cluster scope");
}

TEST_CASE("Signature masks klog structured arguments by key", "[signature]") {
  CHECK(mask("\"Unable to authenticate the request\" err=\"[invalid bearer token, service "
             "account token has expired]\"") ==
        "\"Unable to authenticate the request\" err=\"[invalid bearer token, service account "
        "token has expired]\"");
  CHECK(mask("timeout or abort while handling: method=GET URI=\"/apis/x?watch=true\" "
             "audit-ID=\"b0a35b5f-17f7-44b4-bfa2-ff17525f9872\"") ==
        "timeout or abort while handling: method=<value> URI=\"<value>\" audit-ID=\"<value>\"");
  CHECK(mask("\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\"") ==
        "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\"");
  // Nested quotes inside an error value are Go-escaped; names inside are masked, text is kept.
  CHECK(mask("\"Unhandled Error\" err=\"pods \\\"web-1\\\" not found: dial tcp 10.0.0.1:80: "
             "refused\" logger=\"UnhandledError\"") ==
        "\"Unhandled Error\" err=\"<resource> \\\"<name>\\\" not found: dial tcp <ip>: refused\" "
        "logger=\"<value>\"");
  CHECK(mask("\"x\" err=nil count=3") == "\"<name>\" err=nil count=<value>");
  CHECK(mask("a = b, code = Canceled") == "a = b, code = Canceled");
  CHECK(mask("\"allocated clusterIPs\" service=\"default/kubernetes\" "
             "clusterIPs={\"IPv4\":\"10.0.0.1\"} x=[a b] y={unclosed z") ==
        "\"allocated clusterIPs\" service=\"<value>\" clusterIPs=<value> x=<value> y=<value> z");
  CHECK(mask("SN=123, SKID=, AKID=ab:cd failed") == "SN=<value>, SKID=, AKID=<value> failed");
}

TEST_CASE("Signature context rules: cacher, failing open/closed, pod suffixes", "[signature]") {
  CHECK(mask("cacher (subscriptions.dapr.io): unexpected") == "cacher (<resource>): unexpected");
  CHECK(mask("cacher (*unstructured.Unstructured): unexpected") ==
        "cacher (<resource>): unexpected");
  CHECK(mask("Failed calling webhook, failing open validation.gatekeeper.sh: failed") ==
        "Failed calling webhook, failing open <name>: failed");
  CHECK(mask("failing closed deny.k8s.io: failed") == "failing closed <name>: failed");
  CHECK(mask("pod kube-proxy-x2kqz and web-7d4b9c8f6d-x2kqz ready, dns-86bbd744ae-1") ==
        "pod kube-proxy-<id> and web-<id>-<id> ready, dns-<hex>-<num>");
  CHECK(mask("kube-proxy and cert-manager") == "kube-proxy and cert-manager");
}

TEST_CASE("Signature collapses a conversion webhook's cause", "[signature]") {
  std::string dapr = log_signature(
      "cacher.go",
      "cacher (subscriptions.dapr.io): unexpected ListAndWatch error: failed to list "
      "dapr.io/v1alpha1, Kind=Subscription: conversion webhook for dapr.io/v2alpha1, "
      "Kind=Subscription failed: Post \"https://dapr-webhook.replaceme.svc:443/convert?timeout=30s\": "
      "service \"dapr-webhook\" not found; reinitializing...");
  CHECK(dapr ==
        "cacher.go: cacher (<resource>): unexpected ListAndWatch error: failed to list "
        "<group>/<version>, Kind=<kind>: conversion webhook for <group>/<version>, Kind=<kind> "
        "failed: <cause>; reinitializing...");
  CHECK(log_signature("cacher.go",
                      "cacher (projects.deckhouse.io): unexpected ListAndWatch error: failed to "
                      "list deckhouse.io/v1alpha1, Kind=Project: conversion webhook for "
                      "deckhouse.io/v1alpha2, Kind=Project failed: Conversion to "
                      "deckhouse.io/v1alpha1 was not successuful; reinitializing...") == dapr);
  CHECK(mask("conversion webhook for x/v1, Kind=A failed: boom") ==
        "conversion webhook for <group>/<version>, Kind=<kind> failed: <cause>");
  // Inside an error value the cause ends with the value.
  CHECK(mask("\"Unhandled Error\" err=\"conversion webhook for x/v1, Kind=A failed: Post "
             "\\\"https://a\\\": boom\" logger=\"UnhandledError\"") ==
        "\"Unhandled Error\" err=\"conversion webhook for <group>/<version>, Kind=<kind> failed: "
        "<cause>\" logger=\"<value>\"");
  CHECK(mask("conversion webhook for nothing") == "conversion webhook for nothing");
}

TEST_CASE("Audit signature: code, reason and masked message", "[signature]") {
  CHECK(audit_signature(409, "Conflict",
                        "Operation cannot be fulfilled on leases.coordination.k8s.io "
                        "\"kube-controller-manager\": the object has been modified; please apply "
                        "your changes to the latest version and try again") ==
        "409 Conflict: Operation cannot be fulfilled on <resource> \"<name>\": the object has "
        "been modified; please apply your changes to the latest version and try again");
  CHECK(audit_signature(404, "NotFound", "pods \"web-1\" not found") ==
        "404 NotFound: <resource> \"<name>\" not found");
  CHECK(audit_signature(401, "", "") == "401");
  CHECK(audit_signature(403, "Forbidden", "") == "403 Forbidden");
  CHECK(audit_signature(500, "", "etcdserver: request timed out") ==
        "500: etcdserver: request timed out");
  CHECK(audit_signature(422, "Invalid",
                        "Deployment.apps \"nginx\" is invalid: spec.replicas: Invalid value: -1: "
                        "must be greater than or equal to 0") ==
        "422 Invalid: <kind> \"<name>\" is invalid: spec.replicas: Invalid value: -<num>: must be "
        "greater than or equal to <num>");
}

TEST_CASE("Signature is capped on a UTF-8 boundary", "[signature]") {
  std::string message;
  for (int i = 0; i < 400; ++i) message += "\xC3\xA9 word";  // "é word" repeated
  std::string signature = log_signature("x.go", message);
  CHECK(signature.size() <= kMaxSignatureBytes);
  CHECK(signature.size() >= kMaxSignatureBytes - 4);
  REQUIRE(signature.size() >= 3);
  CHECK(signature.substr(signature.size() - 3) == "\xE2\x80\xA6");
  std::string body = signature.substr(0, signature.size() - 3);
  auto last = static_cast<unsigned char>(body.back());
  CHECK((last & 0xC0) != 0x80);   // not a dangling continuation byte...
  CHECK((last & 0xE0) != 0xC0);   // ...nor a lead byte without its continuation
  std::string exact(kMaxSignatureBytes, 'a');
  CHECK(mask(exact) == exact);
  CHECK(mask(exact + "a").size() == kMaxSignatureBytes);
}

TEST_CASE("Signature work stays bounded on hostile input", "[signature]") {
  std::vector<std::string> hostile = {
      std::string(1 << 20, '1'), std::string(1 << 20, '"'), std::string(1 << 20, '\\'),
      std::string(1 << 20, 'a'), std::string(1 << 20, '/'), std::string(1 << 20, ':'),
  };
  std::string dots;
  for (int i = 0; i < (1 << 18); ++i) dots += "a.1.";
  hostile.push_back(dots);
  std::string quotes;
  for (int i = 0; i < (1 << 16); ++i) quotes += "x=\"\\\"a ";
  hostile.push_back(quotes);
  hostile.push_back("conversion webhook for " + std::string(1 << 20, 'x'));
  for (const std::string& text : hostile) {
    std::string signature = mask(text);
    CHECK(signature.size() <= kMaxSignatureBytes);
    CHECK_FALSE(signature.empty());
  }
}

TEST_CASE("Signature survives random hostile text", "[signature]") {
  // Bytes that drive every rule: quotes, escapes, brackets, separators, digits, hex, UTF-8 pieces.
  static const std::string kAlphabet =
      "\"\"\\\\'=:/.-_,;()[]{}<>  \t\n0123456789abcdefvxyzABCDEFKR\xC2\xB5\xE2\x80\xA6\xFF";
  static const char* const kPieces[] = {
      "conversion webhook for ", " failed: ", "cacher (", "failing open ", "lookup ", "://",
      "err=\"", "\\\"", "Kind=", "::", " is forbidden", " is invalid", "v1alpha1",
      "2024-01-02T03:04:05Z", "10.0.0.1", "pods \"", "={\"a\":["};
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 8000; ++trial) {
    std::string text;
    std::size_t length = rng() % 300;
    while (text.size() < length) {
      if (rng() % 6 == 0) {
        text += kPieces[rng() % (sizeof(kPieces) / sizeof(kPieces[0]))];
      } else {
        text += kAlphabet[rng() % kAlphabet.size()];
      }
    }
    std::string signature = log_signature("s.go", text);
    REQUIRE(signature.size() <= kMaxSignatureBytes);
    REQUIRE(signature.rfind("s.go", 0) == 0);
    REQUIRE(log_signature("s.go", text) == signature);
    std::string prefixed = "p";
    append_audit_signature(prefixed, 500, "R", text);
    REQUIRE(prefixed.size() <= kMaxSignatureBytes + 1);
    REQUIRE(prefixed.rfind("p500 R", 0) == 0);
  }
}

TEST_CASE("append_* signatures allocate nothing when the buffer has room", "[signature]") {
  std::string buffer;
  buffer.reserve(2 * kMaxSignatureBytes);
  const char* data = buffer.data();
  std::size_t capacity = buffer.capacity();
  std::string long_message(10000, 'x');
  for (int i = 0; i < 3; ++i) {
    buffer.clear();
    append_log_signature(buffer, "cacher.go", "cacher (pods): failed \"a b\" x=\"y\" 10.0.0.1:80");
    buffer.clear();
    append_audit_signature(buffer, 409, "Conflict", "pods \"x\" not found");
    buffer.clear();
    append_log_signature(buffer, "x.go", long_message);
  }
  CHECK(buffer.data() == data);
  CHECK(buffer.capacity() == capacity);
  buffer = "prefix|";
  append_audit_signature(buffer, 404, "NotFound", "pods \"x\" not found");
  CHECK(buffer == "prefix|404 NotFound: <resource> \"<name>\" not found");
}

namespace {

// Deterministic variant generator for the family test.
class Variants {
 public:
  std::string name() {
    static const char* kWords[] = {"web", "api", "dapr", "argo", "cert", "kube", "prom", "db"};
    std::string out = kWords[pick(8)];
    out += '-';
    out += kWords[pick(8)];
    if (pick(2)) out += "-" + std::to_string(pick(1000));
    return out;
  }
  std::string ip() {
    return std::to_string(pick(256)) + "." + std::to_string(pick(256)) + "." +
           std::to_string(pick(256)) + "." + std::to_string(pick(256));
  }
  std::string port() { return std::to_string(1 + pick(65535)); }
  std::string duration() {
    switch (pick(4)) {
      case 0: return std::to_string(pick(1000)) + "ms";
      case 1: return std::to_string(pick(60)) + "." + std::to_string(pick(1000)) + "s";
      case 2: return std::to_string(pick(10)) + "m" + std::to_string(pick(60)) + "s";
      default: return std::to_string(pick(1000)) + "us";
    }
  }
  std::string uid() {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (int g : {8, 4, 4, 4, 12}) {
      if (!out.empty()) out += '-';
      for (int k = 0; k < g; ++k) out += kHex[pick(16)];
    }
    return out;
  }
  std::string group() {
    static const char* kGroups[] = {"dapr.io", "stable.example.com", "deckhouse.io",
                                    "cert-manager.io", "monitoring.coreos.com"};
    return kGroups[pick(5)];
  }
  std::string version() {
    static const char* kVersions[] = {"v1", "v1alpha1", "v2alpha1", "v1beta1", "v2"};
    return kVersions[pick(5)];
  }
  std::string kind() {
    static const char* kKinds[] = {"Subscription", "Component", "CronTab", "Project", "Issuer"};
    return kKinds[pick(5)];
  }
  std::string plural() {
    static const char* kPlurals[] = {"subscriptions", "components", "crontabs", "projects",
                                     "issuers"};
    return kPlurals[pick(5)];
  }
  std::string resource() {
    static const char* kResources[] = {"pods", "configmaps", "deployments.apps",
                                       "leases.coordination.k8s.io", "subscriptions.dapr.io"};
    return kResources[pick(5)];
  }
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  std::mt19937_64 rng_{20240229};
};

struct Family {
  std::string name;
  std::string expected;
  std::function<std::string(Variants&)> make;  // returns the signature of one variant
};

}  // namespace

TEST_CASE("Signature families: every variant of a family is one signature", "[signature]") {
  std::vector<Family> families = {
      {"conversion webhook",
       "cacher.go: cacher (<resource>): unexpected ListAndWatch error: failed to list "
       "<group>/<version>, Kind=<kind>: conversion webhook for <group>/<version>, Kind=<kind> "
       "failed: <cause>; reinitializing...",
       [](Variants& v) {
         std::string group = v.group(), kind = v.kind(), svc = v.name();
         std::string cause = v.pick(2) ? "Post \"https://" + svc + "." + v.name() + ".svc:" +
                                             v.port() + "/convert?timeout=" + v.duration() +
                                             "\": service \"" + svc + "\" not found"
                                       : "Conversion to " + group + "/" + v.version() +
                                             " was not successful";
         return log_signature("cacher.go", "cacher (" + v.plural() + "." + group +
                                               "): unexpected ListAndWatch error: failed to list " +
                                               group + "/" + v.version() + ", Kind=" + kind +
                                               ": conversion webhook for " + group + "/" +
                                               v.version() + ", Kind=" + kind + " failed: " +
                                               cause + "; reinitializing...");
       }},
      {"expired token",
       "authentication.go: \"Unable to authenticate the request\" err=\"[invalid bearer token, "
       "service account token has expired]\"",
       [](Variants&) {
         return log_signature("authentication.go",
                              "\"Unable to authenticate the request\" err=\"[invalid bearer token, "
                              "service account token has expired]\"");
       }},
      {"etcd compaction",
       "watcher.go: watch chan error: etcdserver: mvcc: required revision has been compacted",
       [](Variants&) {
         return log_signature("watcher.go",
                              "watch chan error: etcdserver: mvcc: required revision has been "
                              "compacted");
       }},
      {"failing admission webhook",
       "dispatcher.go: failed calling webhook \"<name>\": failed to call webhook: Post \"<url>\": "
       "context deadline exceeded",
       [](Variants& v) {
         return log_signature("dispatcher.go",
                              "failed calling webhook \"" + v.name() + "." + v.group() +
                                  "\": failed to call webhook: Post \"https://" + v.name() + "." +
                                  v.name() + ".svc:" + v.port() + "/v1/admit?timeout=" +
                                  v.duration() + "\": context deadline exceeded");
       }},
      {"handler timeout",
       "timeout.go: post-timeout activity - time-elapsed: <duration>, GET \"<path>\" result: <nil>",
       [](Variants& v) {
         return log_signature("timeout.go", "post-timeout activity - time-elapsed: " +
                                                v.duration() + ", GET \"/api/v1/nodes/" +
                                                v.name() + "\" result: <nil>");
       }},
      {"abort while handling",
       "wrap.go: timeout or abort while handling: method=<value> URI=\"<value>\" "
       "audit-ID=\"<value>\"",
       [](Variants& v) {
         static const char* kMethods[] = {"GET", "POST", "PUT"};
         return log_signature("wrap.go", std::string("timeout or abort while handling: method=") +
                                             kMethods[v.pick(3)] + " URI=\"/apis/" + v.group() +
                                             "/" + v.version() + "/" + v.plural() + "?timeout=" +
                                             v.duration() + "\" audit-ID=\"" + v.uid() + "\"");
       }},
      {"audit conflict",
       "409 Conflict: Operation cannot be fulfilled on <resource> \"<name>\": the object has been "
       "modified; please apply your changes to the latest version and try again",
       [](Variants& v) {
         return audit_signature(409, "Conflict",
                                "Operation cannot be fulfilled on " + v.resource() + " \"" +
                                    v.name() + "\": the object has been modified; please apply "
                                    "your changes to the latest version and try again");
       }},
      {"audit forbidden",
       "403 Forbidden: <resource> \"<name>\" is forbidden: User \"<name>\" cannot get resource "
       "\"<name>\" in API group \"<name>\" in the namespace \"<name>\"",
       [](Variants& v) {
         std::string resource = v.resource();
         return audit_signature(403, "Forbidden",
                                resource + " \"" + v.name() + "\" is forbidden: User "
                                "\"system:serviceaccount:" + v.name() + ":" + v.name() +
                                    "\" cannot get resource \"" + resource + "\" in API group \"" +
                                    v.group() + "\" in the namespace \"" + v.name() + "\"");
       }},
      {"audit webhook refused",
       "500 InternalError: Internal error occurred: failed calling webhook \"<name>\": failed to "
       "call webhook: Post \"<url>\": dial tcp <ip>: connect: connection refused",
       [](Variants& v) {
         return audit_signature(500, "InternalError",
                                "Internal error occurred: failed calling webhook \"" + v.name() +
                                    "\": failed to call webhook: Post \"https://" + v.name() +
                                    ".svc:" + v.port() + "/validate\": dial tcp " + v.ip() + ":" +
                                    v.port() + ": connect: connection refused");
       }},
      {"x509 expired",
       "authentication.go: \"Unable to authenticate the request\" err=\"verifying certificate "
       "SN=<value>, SKID=, AKID=<value> failed: x509: certificate has expired or is not yet "
       "valid: current time <time> is after <time>\"",
       [](Variants& v) {
         auto stamp = [&] {
           return "20" + std::to_string(10 + v.pick(20)) + "-0" + std::to_string(1 + v.pick(9)) +
                  "-1" + std::to_string(v.pick(10)) + "T0" + std::to_string(v.pick(10)) + ":1" +
                  std::to_string(v.pick(10)) + ":2" + std::to_string(v.pick(10)) + "Z";
         };
         return log_signature("authentication.go",
                              "\"Unable to authenticate the request\" err=\"verifying certificate "
                              "SN=" + std::to_string(v.pick(1000000000)) + ", SKID=, AKID=" +
                                  v.uid().substr(0, 8) + ":" + v.uid().substr(0, 2) +
                                  " failed: x509: certificate has expired or is not yet valid: "
                                  "current time " + stamp() + " is after " + stamp() + "\"");
       }},
  };
  std::map<std::string, std::string> owner;  // signature -> family
  constexpr int kVariants = 300;
  for (const Family& family : families) {
    Variants variants;
    std::map<std::string, int> seen;
    for (int i = 0; i < kVariants; ++i) ++seen[family.make(variants)];
    INFO(family.name);
    REQUIRE(seen.size() == 1);
    CHECK(seen.begin()->first == family.expected);
    CHECK(seen.begin()->second == kVariants);
    auto [it, inserted] = owner.emplace(family.expected, family.name);
    INFO("merged with " << it->second);
    CHECK(inserted);
  }
  CHECK(owner.size() == families.size());
}
