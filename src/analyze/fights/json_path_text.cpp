// JSON string literals and jq/JSON Pointer path text for the body flattener and the hints.
#include <cstdio>
#include <string>

#include "kubeblame/analyze/fights/body_flattener.h"

namespace kubeblame::analyze {

namespace {

// Length of the valid UTF-8 sequence at `p` (at most `n` bytes available), 0 if invalid.
std::size_t utf8_sequence(const unsigned char* p, std::size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || len > n) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
  if (c == 0xED && p[1] > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
  if (c == 0xF4 && p[1] > 0x8F) return 0;  // beyond U+10FFFF
  return len;
}

}  // namespace

void append_json_quoted(std::string& out, std::string_view text) {
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default: {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          out += buffer;
        }
      }
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      std::size_t len = utf8_sequence(p + i, n - i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(text.data() + i, len);
        i += len;
      }
    }
  }
  out += '"';
}

bool is_jq_identifier(std::string_view key) {
  if (key.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(key[0])) return false;
  for (char c : key) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string jq_path_to_json_pointer(std::string_view path) {
  std::string pointer;
  std::size_t i = 0;
  auto append_segment = [&](std::string_view segment) {
    pointer += '/';
    for (char c : segment) {
      if (c == '~') pointer += "~0";
      else if (c == '/') pointer += "~1";
      else pointer += c;
    }
  };
  while (i < path.size()) {
    if (path[i] == '.' && i + 1 < path.size() && path[i + 1] != '[') {
      std::size_t start = ++i;
      while (i < path.size() && path[i] != '.' && path[i] != '[' && path[i] != ' ') ++i;
      std::string_view key = path.substr(start, i - start);
      if (!is_jq_identifier(key)) return {};
      append_segment(key);
    } else if (path[i] == '.' && i + 1 < path.size()) {
      ++i;  // ".[" at the root
    } else if (path[i] == '[' && i + 1 < path.size() && path[i + 1] == '"') {
      // A JSON string literal up to the closing quote, then ']'.
      std::string key;
      i += 2;
      bool closed = false;
      while (i < path.size()) {
        char c = path[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < path.size()) {
          char e = path[i++];
          if (e == 'u') return {};  // escapes beyond the basics do not occur in real keys
          key += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        } else {
          key += c;
        }
      }
      if (!closed || i >= path.size() || path[i] != ']') return {};
      ++i;
      append_segment(key);
    } else if (path[i] == '[') {
      std::size_t start = ++i;
      while (i < path.size() && path[i] >= '0' && path[i] <= '9') ++i;
      if (i == start || i >= path.size() || path[i] != ']') return {};
      append_segment(path.substr(start, i - start));
      ++i;
    } else {
      return {};  // " | select(...)" and anything else
    }
  }
  return pointer;
}

}  // namespace kubeblame::analyze
