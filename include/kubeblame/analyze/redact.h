// --redact: reports that leave the company. Usernames, source IPs, namespaces and object names
// become stable keyed hashes ("user-3f9a0c12d4"), the same within a run and, with the same
// --redact-key, across runs; user agents keep their product name; messages keep only their
// masked signature. The hash is SipHash-2-4 (a keyed PRF): without the key, a hash reveals
// nothing about the name, and names cannot be confirmed by hashing guesses.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/model/audit_event.h"
#include "kubeblame/model/log_line.h"

namespace kubeblame::analyze {

using RedactKey = std::array<std::uint64_t, 2>;

// SipHash-2-4 of `data` under the 128-bit key (k0 = bytes 0..7 little-endian, k1 = 8..15).
std::uint64_t siphash24(const RedactKey& key, std::string_view data);

// The key for --redact-key TEXT (any length); the same text always gives the same key.
RedactKey redact_key_from_text(std::string_view text);
// A fresh random key (names are consistent within this run only).
RedactKey random_redact_key();

// Rewrites events and log lines into private buffers. One per worker; the views it returns live
// until the next call.
class Redactor {
 public:
  explicit Redactor(const RedactKey& key) : key_(key) {}

  const model::AuditEvent& redact(const model::AuditEvent& event);
  const model::LogLine& redact(const model::LogLine& line);

  // "<prefix>-<10 hex digits>" for one value; empty stays empty.
  std::string token(std::string_view prefix, std::string_view value) const;
  // The individual rules (public for the report stage and for tests).
  std::string user(std::string_view username) const;
  std::string namespace_name(std::string_view name) const;
  std::string user_agent(std::string_view agent) const;
  std::string request_uri(std::string_view uri, bool resource_request) const;

 private:
  RedactKey key_;
  model::AuditEvent event_;
  model::LogLine line_;
  std::string user_, impersonated_, ip_, agent_, namespace_, name_, uri_, message_, text_;
};

// Namespaces that exist in every cluster and name nothing of the customer's.
bool is_builtin_namespace(std::string_view name);

}  // namespace kubeblame::analyze
