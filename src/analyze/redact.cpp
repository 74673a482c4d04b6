// Redaction rules (see redact.h). What is kept and why:
//  - built-in identities ("system:kube-scheduler", "system:apiserver", groups of system users)
//    and built-in namespaces (kube-system, kube-public, kube-node-lease, default) are the same
//    in every cluster and are what an outside reader needs to understand the report;
//  - service accounts keep their shape: "system:serviceaccount:ns-<h>:sa-<h>" (in a built-in
//    namespace only the account name is hashed when it is not a built-in controller's);
//  - nodes keep theirs: "system:node:node-<h>";
//  - everything else a person or a customer chose becomes "<kind>-<h>";
//  - a user agent keeps its product (the text before the first '/'), the rest is hashed, since
//    versions, hostnames and build strings can identify a client;
//  - a request URI keeps its path only for non-resource URLs (/healthz, /apis), and the
//    parameters that carry no names: fieldManager (the writer the fights report needs),
//    resourceVersion, resourceVersionMatch, limit, watch, and whether a continue token was sent
//    (the report's etcd/watch-cache split needs them); resource URIs name namespaces and
//    objects, so their path is dropped;
//  - free text (response messages, log lines) keeps only its masked signature: quoted strings,
//    names, IPs, URLs and numbers are already masked there.
#include "kubeblame/analyze/redact.h"

#include <fmt/format.h>

#include <cstring>
#include <random>

#include "kubeblame/analyze/errors/signature.h"

namespace kubeblame::analyze {

namespace {

std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

std::uint64_t load_le(const unsigned char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Service accounts of the controllers built into kube-controller-manager and AKS add-ons run in
// kube-system under these names; they are product names, not customer data.
bool is_builtin_account(std::string_view name) {
  return name.find("controller") != std::string_view::npos || name == "coredns" ||
         name == "kube-proxy" || name == "generic-garbage-collector" ||
         name == "horizontal-pod-autoscaler" || name == "namespace-controller" ||
         name == "resourcequota-controller" || name == "metrics-server" ||
         name == "konnectivity-agent" || name == "cloud-node-manager" || name == "default";
}

}  // namespace

std::uint64_t siphash24(const RedactKey& key, std::string_view data) {
  std::uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
  std::uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
  std::uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
  std::uint64_t v3 = 0x7465646279746573ULL ^ key[1];
  auto round = [&] {
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  };
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::size_t whole = n & ~std::size_t{7};
  for (std::size_t i = 0; i < whole; i += 8) {
    std::uint64_t m = load_le(p + i, 8);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  std::uint64_t last = static_cast<std::uint64_t>(n & 0xff) << 56;
  if (n > whole) last |= load_le(p + whole, n - whole);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xff;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

RedactKey redact_key_from_text(std::string_view text) {
  // Two domain-separated SipHashes under a fixed public key stretch any text to 128 bits.
  static constexpr RedactKey kPublic{0x6b756265626c616dULL, 0x652d726564616374ULL};
  std::string input = "k0:";
  input.append(text);
  std::uint64_t k0 = siphash24(kPublic, input);
  input[1] = '1';
  return {k0, siphash24(kPublic, input)};
}

RedactKey random_redact_key() {
  std::random_device device;
  auto word = [&] { return (static_cast<std::uint64_t>(device()) << 32) ^ device(); };
  return {word(), word()};
}

bool is_builtin_namespace(std::string_view name) {
  return name == "kube-system" || name == "kube-public" || name == "kube-node-lease" ||
         name == "default";
}

std::string Redactor::token(std::string_view prefix, std::string_view value) const {
  if (value.empty()) return {};
  std::uint64_t h = siphash24(key_, value);
  return fmt::format("{}-{:010x}", prefix, h >> 24);
}

std::string Redactor::namespace_name(std::string_view name) const {
  if (name.empty() || is_builtin_namespace(name) || starts_with(name, "(")) return std::string(name);
  return token("ns", name);
}

std::string Redactor::user(std::string_view username) const {
  if (username.empty()) return {};
  constexpr std::string_view kServiceAccount = "system:serviceaccount:";
  constexpr std::string_view kNode = "system:node:";
  if (starts_with(username, kServiceAccount)) {
    std::string_view rest = username.substr(kServiceAccount.size());
    std::size_t colon = rest.find(':');
    std::string_view ns = rest.substr(0, colon);
    std::string_view account = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    bool keep_account = is_builtin_namespace(ns) && is_builtin_account(account);
    return std::string(kServiceAccount) + namespace_name(ns) + ":" +
           (keep_account ? std::string(account) : token("sa", account));
  }
  if (starts_with(username, kNode)) {
    return std::string(kNode) + token("node", username.substr(kNode.size()));
  }
  // Built-in identities: system:kube-scheduler, system:apiserver, system:anonymous, ...
  if (starts_with(username, "system:") && username.find('@') == std::string_view::npos) {
    return std::string(username);
  }
  return token("user", username);
}

std::string Redactor::user_agent(std::string_view agent) const {
  if (agent.empty()) return {};
  std::size_t slash = agent.find('/');
  if (slash == std::string_view::npos) {
    // No version part: the whole string is the product when it looks like one word.
    bool word = agent.find(' ') == std::string_view::npos && agent.size() <= 64;
    return word ? std::string(agent) : token("agent", agent);
  }
  return std::string(agent.substr(0, slash)) + "/" + token("h", agent.substr(slash + 1));
}

std::string Redactor::request_uri(std::string_view uri, bool resource_request) const {
  std::size_t query = uri.find('?');
  std::string out = resource_request ? std::string() : std::string(uri.substr(0, query));
  if (query == std::string_view::npos) return out;
  // Parameters that say how the API server served the request and carry no names: the writer
  // (fieldManager, for fights), and what decides between etcd and the watch cache for a LIST
  // (resourceVersion, resourceVersionMatch, limit, continue, watch). A continue token encodes
  // the last object's key, so only its presence is kept.
  static constexpr std::string_view kKept[] = {"fieldManager=", "resourceVersion=",
                                               "resourceVersionMatch=", "limit=", "watch="};
  std::string_view params = uri.substr(query + 1);
  char separator = '?';
  while (!params.empty()) {
    std::size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    bool keep = false;
    for (std::string_view prefix : kKept) keep = keep || starts_with(param, prefix);
    if (keep || starts_with(param, "continue=")) {
      out += separator;
      separator = '&';
      out.append(keep ? param : std::string_view("continue=redacted"));
    }
    if (amp == std::string_view::npos) break;
    params.remove_prefix(amp + 1);
  }
  return out;
}

const model::AuditEvent& Redactor::redact(const model::AuditEvent& event) {
  event_ = event;
  user_ = user(event.username);
  impersonated_ = user(event.impersonated_user);
  ip_ = token("ip", event.source_ip);
  agent_ = user_agent(event.user_agent);
  namespace_ = namespace_name(event.object_ref.namespace_name);
  name_ = token("name", event.object_ref.name);
  bool resource_request = event.has_object_ref && !event.object_ref.resource.empty();
  uri_ = request_uri(event.request_uri, resource_request);
  message_.clear();
  if (!event.message.empty()) append_log_signature(message_, {}, event.message);
  event_.username = user_;
  event_.impersonated_user = impersonated_;
  event_.source_ip = ip_;
  event_.user_agent = agent_;
  event_.object_ref.namespace_name = namespace_;
  event_.object_ref.name = name_;
  event_.request_uri = uri_;
  event_.message = message_;
  event_.audit_id = {};
  return event_;
}

const model::LogLine& Redactor::redact(const model::LogLine& line) {
  line_ = line;
  message_.clear();
  append_log_signature(message_, {}, line.message);
  text_ = message_;
  line_.message = message_;
  line_.text = text_;
  return line_;
}

}  // namespace kubeblame::analyze
